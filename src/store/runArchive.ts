/**
 * Where finished runs are kept: IndexedDB in the browser (survives reloads, holds far more than localStorage),
 * an in-memory map elsewhere. The IndexedDB side is guarded so Node (tests, no `indexedDB`) gets a clear error
 * instead of a crash at import time.
 */
import type { SavedRun } from './runFiles';

export interface RunArchive {
  list(): Promise<SavedRun[]>;
  put(run: SavedRun): Promise<void>;
  remove(id: string): Promise<void>;
}

const DB_NAME = 'grpo-playground';
const STORE = 'runs';

/** An IndexedDB request as a promise. */
export function idbRequest<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new Error(req.error?.message ?? 'IndexedDB request failed'));
  });
}

function openDb(): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined') return Promise.reject(new Error('this browser has no IndexedDB, so runs cannot be kept'));
  const open = indexedDB.open(DB_NAME, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'id' });
  return idbRequest(open);
}

/** Runs one transaction on the runs store and resolves when it has committed. */
async function withStore<T>(mode: IDBTransactionMode, body: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  try {
    const tx = db.transaction(STORE, mode);
    const result = idbRequest(body(tx.objectStore(STORE)));
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(new Error(tx.error?.message ?? 'IndexedDB transaction failed'));
      tx.onabort = () => reject(new Error(tx.error?.message ?? 'IndexedDB transaction aborted (storage full?)'));
    });
    return await result;
  } finally {
    db.close();
  }
}

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
