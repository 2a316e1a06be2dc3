/**
 * The ONNX judge behind the model_judge reward: loaded from the user's files or the shipped reversal judge,
 * checked by the engine worker (onnxruntime-web) before it replaces the current one, and kept in IndexedDB so
 * it is back after a reload. A refused file leaves the judge that was loaded in place.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { JudgeFiles, JudgeInfo } from '../worker/protocol';
import type { EnginePort } from './engineClient';
import type { JudgeArchive } from './judgeArchive';

export interface JudgeState {
  judge: JudgeInfo | null;
  loading: boolean;
  /** Why the last load failed, in words. */
  error: string | null;
  /** Load the judge kept from an earlier visit, if any. */
  restore(): Promise<void>;
  /** The user's two files: the .onnx model and its .json spec. */
  loadFiles(files: File[]): Promise<void>;
  loadShipped(): Promise<void>;
  unload(): Promise<void>;
}

/** Pair a picked .onnx with its .json spec; the judge is named after the model file. */
export async function judgeFilesFrom(files: File[]): Promise<JudgeFiles> {
  const onnx = files.filter((f) => f.name.toLowerCase().endsWith('.onnx'));
  const json = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  if (onnx.length !== 1 || json.length !== 1) {
    throw new Error(`pick exactly one .onnx model and its .json spec together (got ${files.map((f) => f.name).join(', ') || 'no files'})`);
  }
  return { name: onnx[0].name.replace(/\.onnx$/i, ''), onnx: new Uint8Array(await onnx[0].arrayBuffer()), spec: await json[0].text() };
}

export function createJudgeStore(port: EnginePort, archive: JudgeArchive, shipped: () => Promise<JudgeFiles>): StoreApi<JudgeState> {
  return createStore<JudgeState>()((set, get) => {
    // One load at a time (the engine refuses a second while one runs): e.g. the kept judge being restored at
    // startup and a preset asking for the shipped one.
    let queue: Promise<void> = Promise.resolve();
    let waiting = 0;

    async function loadNow(files: () => Promise<JudgeFiles>, keep: boolean): Promise<void> {
      let f: JudgeFiles;
      try {
        f = await files();
        set({ judge: await port.send({ type: 'loadJudge', judge: f }), error: null });
      } catch (e) {
        set({ error: (e as Error).message });
        return;
      }
      if (keep) {
        await archive.put(f).catch((e: Error) => set({ error: `judge "${f.name}" is loaded, but this browser could not keep it for the next visit (${e.message})` }));
      }
    }

    function load(files: () => Promise<JudgeFiles>, keep: boolean): Promise<void> {
      waiting++;
      set({ loading: true, error: null });
      queue = queue.then(() => loadNow(files, keep)).finally(() => set({ loading: --waiting > 0 }));
      return queue;
    }
    return {
      judge: null,
      loading: false,
      error: null,
      async restore() {
        const kept = await archive.get().catch(() => null);
        if (kept && !get().judge && !get().loading) await load(async () => kept, false);
      },
      loadFiles: (files) => load(() => judgeFilesFrom(files), true),
      loadShipped: () => load(shipped, true),
      async unload() {
        try {
          await port.send({ type: 'unloadJudge' });
          await archive.clear();
          set({ judge: null, error: null });
        } catch (e) {
          set({ error: (e as Error).message });
        }
      },
    };
  });
}
