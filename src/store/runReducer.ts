/**
 * How run events from the engine become app state; pure so tests can feed it event sequences. Histories are
 * appended immutably: a chart subscribed to one metric re-renders when (and only when) that metric's array changes.
 */
import { heldOutMetrics } from '../rl/experiment';
import type { Plot } from '../rl/plots';
import type { RolloutRecord } from '../rl/trainer';
import type { ModelSnapshot, RunEvent, RunStatus } from '../worker/protocol';

export interface MetricPoint {
  step: number;
  value: number;
}

export interface SftProgress {
  step: number;
  total: number;
  elapsedMs: number;
  loss: number[];
}

export interface RunData {
  status: RunStatus;
  iteration: number;
  total: number;
  sftDone: boolean;
  sft: SftProgress | null;
  /** Every metric by TRL name; held-out accuracy starts at step 0 (right after warm-start). */
  metrics: Record<string, MetricPoint[]>;
  /** All rollouts of the latest iteration. */
  rollouts: RolloutRecord[];
  /** Per iteration (index = iteration − 1): every rollout's reward and advantage, for the distributions. */
  rewardHistory: number[][];
  advantageHistory: number[][];
  /** Parameter/gradient norms and MTA kernels after the latest iteration. */
  model: ModelSnapshot | null;
  /** The latest figure of each id the algorithm draws (src/rl/plots.ts), in the order they first came. */
  plots: Plot[];
  /** The engine's last failure; a device loss names the iteration a resume would continue from (null: none). */
  error: { message: string; deviceLost: boolean; resumeFrom: number | null } | null;
}

export const EMPTY_RUN: RunData = {
  status: 'idle',
  iteration: 0,
  total: 0,
  sftDone: false,
  sft: null,
  metrics: {},
  rollouts: [],
  rewardHistory: [],
  advantageHistory: [],
  model: null,
  plots: [],
  error: null,
};

/** Each plot of `fresh` replaces the one of its id, or joins at the end. */
function latestPlots(plots: Plot[], fresh: readonly Plot[]): Plot[] {
  // Most algorithms draw none: keep the same array, so nothing subscribed to the plots re-renders.
  if (!fresh.length) return plots;
  const byId = new Map(fresh.map((p) => [p.id, p]));
  return [...plots.map((p) => byId.get(p.id) ?? p), ...fresh.filter((p) => !plots.some((q) => q.id === p.id))];
}

function appendMetrics(metrics: Record<string, MetricPoint[]>, step: number, values: Record<string, number>): Record<string, MetricPoint[]> {
  const out = { ...metrics };
  for (const [name, value] of Object.entries(values)) {
    if (name === 'step' || !Number.isFinite(value)) continue;
    out[name] = [...(out[name] ?? []), { step, value }];
  }
  return out;
}

/**
 * The histories as they were after `iteration`: a resume continues from an older checkpoint, and the iterations
 * it repeats must not be plotted twice. The latest rollouts and model snapshot stay until new ones arrive.
 */
export function rewindTo(s: RunData, iteration: number): Partial<RunData> {
  const metrics = Object.fromEntries(Object.entries(s.metrics).map(([name, points]) => [name, points.filter((p) => p.step <= iteration)]));
  return { metrics, rewardHistory: s.rewardHistory.slice(0, iteration), advantageHistory: s.advantageHistory.slice(0, iteration) };
}

/** SFT estimated time left: the mean step time so far times the steps still to run. */
export function sftEtaMs(p: SftProgress): number {
  return p.step > 0 ? (p.elapsedMs / p.step) * (p.total - p.step) : Number.NaN;
}

/** GRPO estimated time left: the mean wall time of the last (up to) five iterations times those still to run. */
export function grpoEtaMs(s: Pick<RunData, 'metrics' | 'iteration' | 'total'>): number {
  const recent = (s.metrics['time/iteration'] ?? []).slice(-5);
  if (!recent.length) return Number.NaN;
  return (1000 * recent.reduce((a, p) => a + p.value, 0) * Math.max(0, s.total - s.iteration)) / recent.length;
}

export function reduceRunEvent(s: RunData, e: RunEvent): Partial<RunData> {
  switch (e.kind) {
    case 'status':
      // 'idle' is only ever reported for a fresh run (after a reset or a new config): start empty.
      if (e.status === 'idle') return { ...EMPTY_RUN, total: s.total };
      return { status: e.status, iteration: e.iteration, sftDone: e.sftDone, error: e.status === 'error' || e.status === 'lost' ? s.error : null };
    case 'sft':
      return {
        sft: { step: e.metrics.step, total: e.total, elapsedMs: e.elapsedMs, loss: [...(s.sft?.loss ?? []), e.metrics.loss] },
      };
    case 'baseline':
      return {
        metrics: appendMetrics(s.metrics, 0, heldOutMetrics(e.eval)),
        plots: latestPlots(s.plots, e.eval.plots ?? []),
      };
    case 'iteration':
      return {
        iteration: e.iteration,
        total: e.total,
        metrics: appendMetrics(s.metrics, e.iteration, e.metrics),
        rollouts: e.rollouts,
        rewardHistory: [...s.rewardHistory, e.rollouts.map((r) => r.reward)],
        advantageHistory: [...s.advantageHistory, e.rollouts.map((r) => r.advantage)],
        model: e.model,
        plots: latestPlots(s.plots, e.plots),
      };
    case 'error':
      return { error: { message: e.message, deviceLost: e.deviceLost, resumeFrom: e.resumeFrom ?? null } };
    case 'checkpoint':
      // Kept by the durable-run store (durableRuns.ts); nothing on screen changes.
      return {};
    case 'restarted':
      // The run died with the engine; what it showed goes with it (its durable checkpoint can bring it back).
      return { ...EMPTY_RUN, total: s.total, error: { message: e.message, deviceLost: false, resumeFrom: null } };
  }
}
