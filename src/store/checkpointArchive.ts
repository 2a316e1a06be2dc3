/**
 * Where durable runs keep their checkpoints, and the cross-tab locks that give each run one owner. The checkpoints
 * have an IndexedDB database of their own: a write that fails for quota there never touches the saved runs.
 */
import type { CheckpointStore, DurableRecord, RunLocks } from './durableRuns';
import { idbStore } from './idbStore';

const withStore = idbStore('grpo-playground-live', 'checkpoints', 'runs kept for reload', { keyPath: 'id' });

export function indexedDbCheckpoints(): CheckpointStore {
  return {
    list: () => withStore('readonly', (s) => s.getAll() as IDBRequest<DurableRecord[]>),
    async put(record) {
      await withStore('readwrite', (s) => s.put(record));
    },
    async remove(id) {
      await withStore('readwrite', (s) => s.delete(id));
    },
  };
}

/** For tests and browsers without IndexedDB: the same interface, gone on reload. */
export function memoryCheckpoints(): CheckpointStore {
  const records = new Map<string, DurableRecord>();
  return {
    list: async () => [...records.values()].map((r) => structuredClone(r)),
    put: async (record) => void records.set(record.id, structuredClone(record)),
    remove: async (id) => void records.delete(id),
  };
}

/**
 * Web Locks across the tabs of this origin: a claimed run's lock is held until released or the tab goes away
 * (the browser frees it then, so a closed or crashed tab's run can be resumed elsewhere).
 */
export function webLocks(locks: LockManager): RunLocks {
  const held = new Map<string, () => void>();
  return {
    claim: (id) =>
      new Promise<boolean>((resolve, reject) => {
        locks
          .request(`grpo-playground-run:${id}`, { ifAvailable: true }, (lock) => {
            if (!lock) return resolve(false);
            resolve(true);
            return new Promise<void>((release) => held.set(id, release));
          })
          .catch(reject);
      }),
    release(id) {
      held.get(id)?.();
      held.delete(id);
    },
  };
}
