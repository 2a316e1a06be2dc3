/**
 * Where finished runs are kept: IndexedDB in the browser (survives reloads, holds far more than localStorage),
 * an in-memory map elsewhere. The IndexedDB side is guarded so Node (tests, no `indexedDB`) gets a clear error
 * instead of a crash at import time.
 */
import { idbStore } from './idbStore';
import type { SavedRun } from './runFiles';

export interface RunArchive {
  list(): Promise<SavedRun[]>;
  put(run: SavedRun): Promise<void>;
  remove(id: string): Promise<void>;
}

/** Runs by id; the database name predates the judge archive and stays, so kept runs survive. */
const withStore = idbStore('grpo-playground', 'runs', 'runs', { keyPath: 'id' });

export function indexedDbArchive(): RunArchive {
  return {
    async list() {
      const runs = await withStore('readonly', (s) => s.getAll() as IDBRequest<SavedRun[]>);
      return runs.sort((a, b) => a.savedAt - b.savedAt);
    },
    async put(run) {
      await withStore('readwrite', (s) => s.put(run));
    },
    async remove(id) {
      await withStore('readwrite', (s) => s.delete(id));
    },
  };
}

/** For tests and for browsers without IndexedDB: the same interface, gone on reload. */
export function memoryArchive(): RunArchive {
  const runs = new Map<string, SavedRun>();
  return {
    list: async () => [...runs.values()].sort((a, b) => a.savedAt - b.savedAt),
    put: async (run) => void runs.set(run.id, structuredClone(run)),
    remove: async (id) => void runs.delete(id),
  };
}
