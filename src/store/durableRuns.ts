/**
 * Durable runs: the run in progress survives a reload, a crash of the tab or of the engine worker. Every
 * checkpoint the engine takes (after the warm-start, at most every N seconds while training, when it pauses or
 * ends) is written with the curves and rollouts on screen to a checkpoint store of its own (IndexedDB), apart
 * from the saved runs, so a full disk never touches those. After a reload the page offers "Resume run from
 * iteration k", which restores the engine from the checkpoint and continues exactly as the device-loss resume.
 *
 * Each run belongs to one tab: the tab holds a lock named after it (Web Locks) while it has the run, so a second
 * tab neither writes it nor offers it, and says it is open elsewhere.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RunConfig } from '../rl/runConfig';
import type { RunCheckpoint } from '../worker/protocol';
import type { EnginePort } from './engineClient';
import type { RunData } from './runReducer';
import type { RunStore } from './runStore';

/** What the page showed of the run when its checkpoint was taken. */
export type DurableView = Pick<RunData, 'total' | 'sft' | 'metrics' | 'rollouts' | 'rewardHistory' | 'advantageHistory' | 'model'>;

export interface DurableRecord {
  id: string;
  savedAt: number;
  config: RunConfig;
  checkpoint: RunCheckpoint;
  view: DurableView;
}

export interface CheckpointStore {
  list(): Promise<DurableRecord[]>;
  put(record: DurableRecord): Promise<void>;
  remove(id: string): Promise<void>;
}

/** One owner per run id across tabs. `claim` resolves false when another tab holds it. */
export interface RunLocks {
  claim(id: string): Promise<boolean>;
  release(id: string): void;
}

/** The parts of navigator.storage used here (absent in old browsers and in Node). */
export interface StorageQuota {
  persist(): Promise<boolean>;
  estimate(): Promise<{ usage?: number; quota?: number }>;
}

/** Where the checkpoint interval is remembered (localStorage in the app). */
export interface IntervalPreference {
  get(): number | null;
  set(seconds: number): void;
}

export interface DurableDeps {
  checkpoints: CheckpointStore;
  locks: RunLocks;
  storage: StorageQuota | null;
  interval: IntervalPreference;
}

export interface DurableOffer {
  id: string;
  iteration: number;
  total: number;
  task: string;
  savedAt: number;
}

export interface DurableState {
  /** A run this tab can resume (from an earlier page load, or from before the engine restarted). */
  offer: DurableOffer | null;
  /** Runs kept for reload that another tab has open. */
  elsewhere: number;
  /** Storage used and available for this site, and whether the browser keeps it under pressure. */
  storage: { usage: number; quota: number; persisted: boolean } | null;
  /** The last checkpoint write that failed, in words. */
  problem: string | null;
  /** Seconds between checkpoints while training (also after the warm-start and on pause). */
  everySeconds: number;
  init(): Promise<void>;
  resume(): Promise<void>;
  discard(): Promise<void>;
  setEvery(seconds: number): Promise<void>;
  dismissProblem(): void;
}

export const DEFAULT_CHECKPOINT_SECONDS = 30;
export const MAX_CHECKPOINT_SECONDS = 3600;

const newId = () => `live-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e9).toString(36)}`;

function offerOf(r: DurableRecord): DurableOffer {
  return { id: r.id, iteration: r.checkpoint.iteration, total: r.config.iterations, task: r.config.task, savedAt: r.savedAt };
}

export function createDurableRuns(port: EnginePort, runs: StoreApi<RunStore>, deps: DurableDeps): StoreApi<DurableState> {
  const { checkpoints, locks, storage, interval } = deps;
  /** The run this tab trains now, once it has a checkpoint; its lock is held. */
  let currentId: string | null = null;
  let lastRecord: DurableRecord | null = null;
  let offered: DurableRecord | null = null;
  /** A restore is under way: its reset is not the user dropping the run. */
  let restoring = false;
  let started = false;

  return createStore<DurableState>()((set, get) => {
    async function refreshStorage(persisted?: boolean) {
      if (!storage) return;
      try {
        const { usage = 0, quota = 0 } = await storage.estimate();
        set({ storage: { usage, quota, persisted: persisted ?? get().storage?.persisted ?? false } });
      } catch {
        // No estimate in this browser: nothing to show.
      }
    }

    /**
     * Checkpoints are kept one after another: on a fast backend the warm-start's, the first iteration's and the
     * pause's arrive within milliseconds, and concurrent saves would each claim a new run id for one run.
     */
    let saving: Promise<void> = Promise.resolve();
    function save(checkpoint: RunCheckpoint): Promise<void> {
      saving = saving.then(() => saveNow(checkpoint)).catch((e: unknown) => set({ problem: `The run could not be kept for a reload (${(e as Error).message}). It goes on in memory.` }));
      return saving;
    }

    async function saveNow(checkpoint: RunCheckpoint) {
      if (restoring) return;
      if (!currentId) {
        const id = newId();
        if (!(await locks.claim(id))) return;
        currentId = id;
      }
      const s = runs.getState();
      const record: DurableRecord = {
        id: currentId,
        savedAt: Date.now(),
        config: s.applied,
        checkpoint,
        view: { total: s.total, sft: s.sft, metrics: s.metrics, rollouts: s.rollouts, rewardHistory: s.rewardHistory, advantageHistory: s.advantageHistory, model: s.model },
      };
      lastRecord = record;
      try {
        await checkpoints.put(record);
        if (get().problem) set({ problem: null });
      } catch (e) {
        const message = (e as Error).message;
        const full = /quota|full|space/i.test(message) || (e as Error).name === 'QuotaExceededError';
        set({
          problem:
            `The run could not be kept for a reload${full ? ': storage is full' : ''} (${message}). ` +
            'It goes on in memory, and saved runs are untouched; free some space, or export the run.',
        });
      }
      await refreshStorage();
    }

    /** The user dropped the run (reset, new settings): its checkpoint goes with it. */
    async function forgetCurrent() {
      const id = currentId;
      currentId = null;
      lastRecord = null;
      if (!id) return;
      locks.release(id);
      await checkpoints.remove(id).catch(() => undefined);
    }

    return {
      offer: null,
      elsewhere: 0,
      storage: null,
      problem: null,
      everySeconds: DEFAULT_CHECKPOINT_SECONDS,

      async init() {
        if (started) return;
        started = true;
        const stored = interval.get();
        const everySeconds = stored !== null && stored >= 0 && stored <= MAX_CHECKPOINT_SECONDS ? stored : DEFAULT_CHECKPOINT_SECONDS;
        set({ everySeconds });
        port.onEvent((e) => {
          if (e.kind === 'checkpoint') void save(e.checkpoint);
          else if (e.kind === 'status' && e.status === 'idle' && !restoring) void forgetCurrent();
          else if (e.kind === 'restarted') {
            // A fresh engine starts with its own interval.
            void port.send({ type: 'setCheckpointEvery', ms: get().everySeconds * 1000 }).catch(() => undefined);
            if (!lastRecord) return;
            // The engine died with this tab's run: its last checkpoint is still ours to resume.
            offered = lastRecord;
            currentId = null;
            set({ offer: offerOf(lastRecord) });
          }
        });
        await port.send({ type: 'setCheckpointEvery', ms: everySeconds * 1000 }).catch(() => undefined);
        let persisted = false;
        try {
          persisted = (await storage?.persist()) ?? false;
        } catch {
          // Refused or unsupported: the estimate still shows what is used.
        }
        await refreshStorage(persisted);
        let records: DurableRecord[];
        try {
          records = (await checkpoints.list()).sort((a, b) => b.savedAt - a.savedAt);
        } catch (e) {
          set({ problem: `Runs kept for a reload could not be read: ${(e as Error).message}` });
          return;
        }
        let elsewhere = 0;
        for (const r of records) {
          if (r.id === currentId) continue;
          if (!(await locks.claim(r.id))) {
            elsewhere++;
            continue;
          }
          if (offered) locks.release(r.id);
          else offered = r;
        }
        set({ elsewhere, offer: offered ? offerOf(offered) : null });
      },

      async resume() {
        const record = offered;
        if (!record) return;
        restoring = true;
        try {
          await forgetCurrent();
          const restored = await runs.getState().restore(record.config, record.checkpoint, record.view);
          if (!restored) return;
          currentId = record.id;
          lastRecord = record;
          offered = null;
          set({ offer: null });
        } finally {
          restoring = false;
        }
      },

      async discard() {
        const record = offered;
        offered = null;
        set({ offer: null });
        if (!record) return;
        locks.release(record.id);
        await checkpoints.remove(record.id).catch(() => undefined);
        await refreshStorage();
      },

      async setEvery(seconds) {
        if (!(seconds >= 0 && seconds <= MAX_CHECKPOINT_SECONDS)) return;
        set({ everySeconds: seconds });
        interval.set(seconds);
        await port.send({ type: 'setCheckpointEvery', ms: seconds * 1000 }).catch((e: Error) => set({ problem: e.message }));
      },

      dismissProblem() {
        set({ problem: null });
      },
    };
  });
}

/** Tests and browsers without Web Locks share this: locks held by "tabs" within one process. */
export function memoryLocks(held: Set<string> = new Set()): RunLocks {
  const mine = new Set<string>();
  return {
    async claim(id) {
      if (held.has(id) && !mine.has(id)) return false;
      held.add(id);
      mine.add(id);
      return true;
    },
    release(id) {
      if (mine.delete(id)) held.delete(id);
    },
  };
}
