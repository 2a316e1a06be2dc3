/** The app's stores, wired to the engine worker, the page URL and IndexedDB, and the React hooks to read them. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { DEFAULT_RUN } from '../rl/runConfig';
import { indexedDbCheckpoints, memoryCheckpoints, webLocks } from './checkpointArchive';
import { createCompareStore, type CompareState } from './compareStore';
import { createDurableRuns, memoryLocks, type DurableState } from './durableRuns';
import { engineClient } from './engineClient';
import { createAttentionStore, createCurrentLogprobsStore, type RolloutReadout } from './rolloutReadout';
import { indexedDbJudgeArchive, memoryJudgeArchive } from './judgeArchive';
import { createJudgeStore, type JudgeState } from './judgeStore';
import type { AttentionMaps, CurrentLogprobs, JudgeFiles } from '../worker/protocol';
import { indexedDbArchive, memoryArchive } from './runArchive';
import { createRunStore, type RunStore } from './runStore';

let store: StoreApi<RunStore> | undefined;
let attention: StoreApi<RolloutReadout<AttentionMaps>> | undefined;
let compare: StoreApi<CompareState> | undefined;
let judge: StoreApi<JudgeState> | undefined;
let currentLogprobs: StoreApi<RolloutReadout<CurrentLogprobs>> | undefined;
let durable: StoreApi<DurableState> | undefined;

export function runStore(): StoreApi<RunStore> {
  store ??= createRunStore(engineClient(), { write: (hash) => history.replaceState(null, '', hash) }, DEFAULT_RUN);
  return store;
}

export function attentionStore(): StoreApi<RolloutReadout<AttentionMaps>> {
  attention ??= createAttentionStore(engineClient());
  return attention;
}

export function currentLogprobsStore(): StoreApi<RolloutReadout<CurrentLogprobs>> {
  currentLogprobs ??= createCurrentLogprobsStore(engineClient());
  return currentLogprobs;
}

const CHECKPOINT_SECONDS_KEY = 'grpo-playground.checkpointSeconds';

/** The run in progress kept in IndexedDB for a reload, one owner tab per run (Web Locks). */
export function durableStore(): StoreApi<DurableState> {
  durable ??= createDurableRuns(engineClient(), runStore(), {
    checkpoints: typeof indexedDB === 'undefined' ? memoryCheckpoints() : indexedDbCheckpoints(),
    locks: typeof navigator !== 'undefined' && navigator.locks ? webLocks(navigator.locks) : memoryLocks(),
    storage: typeof navigator !== 'undefined' && 'storage' in navigator ? navigator.storage : null,
    interval: {
      get() {
        try {
          const v = localStorage.getItem(CHECKPOINT_SECONDS_KEY);
          return v === null ? null : Number(v);
        } catch {
          return null;
        }
      },
      set(seconds) {
        try {
          localStorage.setItem(CHECKPOINT_SECONDS_KEY, String(seconds));
        } catch {
          // Storage blocked: the setting lasts for this page only.
        }
      },
    },
  });
  return durable;
}

/** A run's name in the compare list: task, seed and when it finished. */
function runName(task: string, seed: number, at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${task} seed ${seed} ${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
}

export function compareStore(): StoreApi<CompareState> {
  if (!compare) {
    const created = createCompareStore(typeof indexedDB === 'undefined' ? memoryArchive() : indexedDbArchive());
    compare = created;
    void created.getState().load();
    // Every run that reaches its last iteration is kept for comparison, with its trained policy.
    runStore().subscribe((s, prev) => {
      if (s.status === 'done' && prev.status !== 'done') void saveCurrentRun();
    });
  }
  return compare;
}

/** Keep the run on screen (settings, curves, latest rollouts and its policy) in the saved runs. */
export async function saveCurrentRun(): Promise<void> {
  const s = runStore().getState();
  const checkpoint = (await s.exportCheckpoint()) ?? undefined;
  const status = s.status === 'done' ? '' : ` (paused at ${s.iteration}/${s.applied.iterations})`;
  await compareStore().getState().save({ name: runName(s.applied.task, s.applied.seed, new Date()) + status, config: s.applied, metrics: s.metrics, rollouts: s.rollouts, checkpoint });
}

/** The reversal judge shipped in public/models, trained with this engine (`npm run train-judge`). */
async function shippedJudge(): Promise<JudgeFiles> {
  const url = (ext: string) => new URL(`models/reversal-judge.${ext}`, document.baseURI);
  const [onnx, spec] = await Promise.all([fetch(url('onnx')), fetch(url('json'))]);
  if (!onnx.ok || !spec.ok) throw new Error(`the shipped judge could not be fetched (HTTP ${onnx.status} / ${spec.status})`);
  return { name: 'reversal-judge', onnx: new Uint8Array(await onnx.arrayBuffer()), spec: await spec.text() };
}

export function judgeStore(): StoreApi<JudgeState> {
  if (!judge) {
    judge = createJudgeStore(engineClient(), typeof indexedDB === 'undefined' ? memoryJudgeArchive() : indexedDbJudgeArchive(), shippedJudge);
    void judge.getState().restore();
  }
  return judge;
}

/**
 * The run as a subtree may show it a moment late: its applied config, data and selection, which always agree with
 * each other. Everything else in the store (the draft being edited, actions) stays live.
 */
export const RUN_DATA_KEYS = ['applied', 'iteration', 'metrics', 'rollouts', 'rewardHistory', 'advantageHistory', 'model', 'selection'] as const;
export type RunDataView = Pick<RunStore, (typeof RUN_DATA_KEYS)[number]>;

/** Set by src/ui/DeferredRun.tsx for the heavy panels; null elsewhere. */
export const DeferredRunData = createContext<RunDataView | null>(null);

/**
 * Subscribe a component to one slice; keep selectors narrow so live updates re-render only what changed. Inside a
 * DeferredRun the selector sees that subtree's (deferred) run data over the live store: an edit still re-renders
 * its field at once, a new iteration reaches the subtree in React's background render.
 */
export function useRun<T>(selector: (s: RunStore) => T): T {
  const data = useContext(DeferredRunData);
  return useStore(runStore(), data ? (s) => selector({ ...s, ...data }) : selector);
}

export function useAttention<T>(selector: (s: RolloutReadout<AttentionMaps>) => T): T {
  return useStore(attentionStore(), selector);
}

export function useCurrentLogprobs<T>(selector: (s: RolloutReadout<CurrentLogprobs>) => T): T {
  return useStore(currentLogprobsStore(), selector);
}

export function useCompare<T>(selector: (s: CompareState) => T): T {
  return useStore(compareStore(), selector);
}

export function useDurable<T>(selector: (s: DurableState) => T): T {
  return useStore(durableStore(), selector);
}

export function useJudge<T>(selector: (s: JudgeState) => T): T {
  return useStore(judgeStore(), selector);
}
