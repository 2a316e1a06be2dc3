/**
 * Where the loaded ONNX judge is kept so it survives a reload: its own small IndexedDB database (one record),
 * separate from the runs so neither schema has to migrate for the other. Memory-backed in Node and tests.
 */
import type { JudgeFiles } from '../worker/protocol';
import { idbStore } from './idbStore';

export interface JudgeArchive {
  get(): Promise<JudgeFiles | null>;
  put(files: JudgeFiles): Promise<void>;
  clear(): Promise<void>;
}

const KEY = 'current';
const withStore = idbStore('grpo-playground-judge', 'judge', 'the judge');

export function indexedDbJudgeArchive(): JudgeArchive {
  return {
    get: async () => ((await withStore('readonly', (s) => s.get(KEY) as IDBRequest<JudgeFiles | undefined>)) ?? null),
    put: async (files) => void (await withStore('readwrite', (s) => s.put(files, KEY))),
    clear: async () => void (await withStore('readwrite', (s) => s.delete(KEY))),
  };
}

export function memoryJudgeArchive(): JudgeArchive {
  let kept: JudgeFiles | null = null;
  return {
    get: async () => kept,
    put: async (files) => void (kept = files),
    clear: async () => void (kept = null),
  };
}
