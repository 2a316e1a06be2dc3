/**
 * The preset harness: run a preset's experiment headless with its exact config (and each variant its claim
 * compares against), collect every metric as a curve, and evaluate the claim. `npm run presets` runs it over
 * seeds and writes docs/presets.md; `cli train --preset ID` and the CI check use it too.
 */
import type { Backend } from '../../engine/backend';
import { Experiment, heldOutMetrics } from '../experiment';
import type { RolloutRecord } from '../trainer';
import type { AsyncJudge } from '../rewards';
import { parseRunConfig, type RunConfig } from '../runConfig';
import { evaluateCheck, MAIN_VARIANT, type CheckResult, type Curves } from './claims';
import type { Preset } from './catalog';

export interface RunTiming {
  warmStartSeconds: number;
  /** Mean wall time of a GRPO iteration, held-out evaluations included. */
  secondsPerIteration: number;
  totalSeconds: number;
}

export interface VariantRun {
  curves: Curves;
  timing: RunTiming;
}

export interface PresetSeedResult {
  preset: string;
  seed: number;
  runs: Record<string, VariantRun>;
  checks: CheckResult[];
  pass: boolean;
}

export interface HarnessOptions {
  /** A fresh backend for each run. */
  backend: () => Promise<Backend> | Backend;
  /** The judge a preset's model_judge reward needs. */
  judge?: (preset: Preset) => Promise<AsyncJudge | undefined>;
  /** Replace the config a variant runs (parameter sweeps); receives the parsed config. */
  adjust?: (run: RunConfig) => RunConfig;
  /** Called after the warm-start evaluation and after every GRPO iteration. */
  onProgress?: (variant: string, iteration: number, total: number) => void;
}

/** The configs a preset runs: its own ("main") and each variant its claim compares against. */
export function presetConfigs(preset: Preset, seed: number): Record<string, RunConfig> {
  const all: Record<string, object> = { [MAIN_VARIANT]: preset.config, ...preset.variants };
  return Object.fromEntries(Object.entries(all).map(([name, config]) => [name, parseRunConfig({ ...config, seed })]));
}

/** Append one iteration's metrics to their curves. */
export function recordPoint(curves: Curves, iteration: number, metrics: Record<string, number>): void {
  for (const [name, value] of Object.entries(metrics)) (curves[name] ??= []).push({ iteration, value });
}

/** An iteration's metrics plus those the harness derives from its rollouts. */
export function iterationPoint(metrics: Record<string, number>, rollouts: RolloutRecord[]): Record<string, number> {
  return { ...metrics, [DISTINCT_ANSWERS]: distinctAnswers(rollouts) };
}

/** The checks of a preset's claim that need no variant but its own config, evaluated on its curves. */
export function mainOnlyChecks(preset: Preset, curves: Curves): CheckResult[] {
  return preset.claim.filter((c) => c.kind !== 'ahead' && (c.variant ?? MAIN_VARIANT) === MAIN_VARIANT).map((c) => evaluateCheck(c, { [MAIN_VARIANT]: curves }));
}

/** Curve of the mean share of distinct answers within a group (1/G: all agree, 1: all differ). */
export const DISTINCT_ANSWERS = 'group/distinct_answers';

function distinctAnswers(rollouts: RolloutRecord[]): number {
  const groups = new Map<number, RolloutRecord[]>();
  for (const r of rollouts) {
    const group = groups.get(r.group);
    if (group) group.push(r);
    else groups.set(r.group, [r]);
  }
  // A completion without an answer counts as its own kind of answer, told apart by its text.
  const shares = [...groups.values()].map((g) => new Set(g.map((r) => r.answer ?? `no answer: ${r.completion}`)).size / g.length);
  return shares.reduce((a, b) => a + b, 0) / Math.max(1, shares.length);
}

/** Warm-start, evaluate, then every GRPO iteration of one config, logging each metric as a curve. */
export async function runConfigCurves(
  be: Backend,
  run: RunConfig,
  judge: AsyncJudge | undefined,
  onIteration?: (iteration: number) => void,
): Promise<VariantRun> {
  const t0 = performance.now();
  const exp = new Experiment(be, run, undefined, judge);
  await exp.warmStart();
  const tWarm = performance.now();
  const curves: Curves = {};
  recordPoint(curves, 0, heldOutMetrics(await exp.evaluate()));
  onIteration?.(0);
  for (let i = 1; i <= run.iterations; i++) {
    const { metrics, rollouts } = await exp.trainStep();
    recordPoint(curves, i, iterationPoint(metrics, rollouts));
    onIteration?.(i);
  }
  const tEnd = performance.now();
  return {
    curves,
    timing: {
      warmStartSeconds: (tWarm - t0) / 1000,
      secondsPerIteration: (tEnd - tWarm) / 1000 / Math.max(1, run.iterations),
      totalSeconds: (tEnd - t0) / 1000,
    },
  };
}

/** Run every config of a preset with one seed and evaluate its claim. */
export async function runPreset(preset: Preset, seed: number, opts: HarnessOptions): Promise<PresetSeedResult> {
  const judge = await opts.judge?.(preset);
  if (preset.judge && !judge) throw new Error(`preset ${preset.id} needs its ONNX judge`);
  const runs: Record<string, VariantRun> = {};
  for (const [variant, parsed] of Object.entries(presetConfigs(preset, seed))) {
    const run = opts.adjust ? opts.adjust(parsed) : parsed;
    const be = await opts.backend();
    try {
      runs[variant] = await runConfigCurves(be, run, judge, (i) => opts.onProgress?.(variant, i, run.iterations));
    } finally {
      be.dispose();
    }
  }
  const curves = Object.fromEntries(Object.entries(runs).map(([name, r]) => [name, r.curves]));
  const checks = preset.claim.map((check) => evaluateCheck(check, curves));
  return { preset: preset.id, seed, runs, checks, pass: checks.every((c) => c.pass) };
}
