/**
 * The experiment config: the one JSON document the app's share link/export, `cli train --config` and
 * `cli export-trl` all use. Parsing fills defaults and reports every problem with its path.
 */
import { configProblems, presetConfig, type ModelConfig, type PresetName } from '../model/config';
import { CharTokenizer } from '../model/tokenizer';
import { DEFAULT_GRPO, grpoProblems, type GrpoConfig } from './grpo/config';
import { NEUTRAL_JUDGE } from './judges/biased';
import type { RewardConfig } from './rewards';
import { getTask } from './tasks/registry';
import { resolveDifficulty } from './tasks/types';

export interface RunConfig {
  task: string;
  difficulty: Record<string, number>;
  seed: number;
  model: { preset: PresetName } & Partial<Omit<ModelConfig, 'vocabSize'>>;
  sft: { steps: number; batch: number; lr: number };
  grpo: GrpoConfig;
  rewards: RewardConfig;
  /** GRPO iterations. */
  iterations: number;
  eval: { n: number; every: number };
}

export const DEFAULT_RUN: RunConfig = {
  task: 'addition',
  difficulty: { digits: 1 },
  seed: 1,
  model: { preset: 'tiny', contextLength: 32 },
  sft: { steps: 60, batch: 32, lr: 3e-3 },
  grpo: DEFAULT_GRPO,
  rewards: { weights: { correct: 1 }, overlongCache: 2, judge: NEUTRAL_JUDGE },
  iterations: 20,
  eval: { n: 64, every: 5 },
};

type Json = Record<string, unknown>;

function merge<T>(base: T, over: unknown): T {
  if (over === undefined) return base;
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return over as T;
  if (typeof over !== 'object' || over === null || Array.isArray(over)) return over as T;
  const out: Json = { ...(base as Json) };
  for (const [k, v] of Object.entries(over as Json)) out[k] = k in out ? merge(out[k], v) : v;
  return out as T;
}

/** The model config a run trains (vocabulary from the task's alphabet). */
export function runModelConfig(run: RunConfig): ModelConfig {
  const { preset, ...overrides } = run.model;
  return presetConfig(preset, new CharTokenizer(getTask(run.task).alphabet).vocabSize, overrides);
}

/** Every problem of a run config, each prefixed with where it is ("grpo.beta: ..."). */
export function runProblems(run: RunConfig): string[] {
  const problems: string[] = [];
  let task;
  try {
    task = getTask(run.task);
  } catch (e) {
    return [`task: ${(e as Error).message}`];
  }
  try {
    resolveDifficulty(task, run.difficulty);
  } catch (e) {
    problems.push(`difficulty: ${(e as Error).message}`);
  }
  if (!['tiny', 'small', 'medium'].includes(run.model.preset)) problems.push(`model.preset: unknown preset "${run.model.preset}"`);
  else problems.push(...configProblems(runModelConfig(run)).map((p) => `model: ${p}`));
  problems.push(...grpoProblems(run.grpo).map((p) => `grpo: ${p}`));
  for (const [k, v] of Object.entries({ seed: run.seed, iterations: run.iterations, 'sft.steps': run.sft.steps, 'eval.n': run.eval.n })) {
    if (!Number.isInteger(v) || v < 0) problems.push(`${k}: must be a non-negative integer (got ${String(v)})`);
  }
  if (!(run.sft.batch >= 1)) problems.push(`sft.batch: must be ≥ 1 (got ${run.sft.batch})`);
  if (!(run.eval.every >= 1)) problems.push(`eval.every: must be ≥ 1 (got ${run.eval.every})`);
  for (const [k, v] of Object.entries(run.rewards.judge)) {
    if (k !== 'keyword' && !Number.isFinite(v)) problems.push(`rewards.judge.${k}: must be a number (got ${String(v)})`);
  }
  const { noise } = run.rewards.judge;
  if (noise < 0 || noise > 1) problems.push(`rewards.judge.noise: must be in [0, 1] (got ${noise})`);
  for (const [k, w] of Object.entries(run.rewards.weights)) {
    if (!Number.isFinite(w)) problems.push(`rewards.weights.${k}: must be a number (got ${String(w)})`);
  }
  const weights = Object.values(run.rewards.weights);
  if (!weights.some((w) => w !== 0)) problems.push('rewards.weights: at least one reward component needs a non-zero weight');
  return problems;
}

/** Parse JSON text (or an object) into a complete, valid RunConfig; throws listing every problem. */
export function parseRunConfig(input: string | object): RunConfig {
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (e) {
      throw new Error(`run config is not valid JSON (${(e as Error).message})`);
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('run config must be a JSON object');
  const partial = raw as Json;
  const run = merge(DEFAULT_RUN, partial);
  // Difficulty knobs belong to one task: a given difficulty replaces the default whole, and another task
  // without one starts from that task's own defaults.
  const sameTask = (partial.task ?? DEFAULT_RUN.task) === DEFAULT_RUN.task;
  run.difficulty = (partial.difficulty as Record<string, number> | undefined) ?? (sameTask ? DEFAULT_RUN.difficulty : {});
  const problems = runProblems(run);
  if (problems.length) throw new Error(`invalid run config:\n- ${problems.join('\n- ')}`);
  return { ...run, difficulty: resolveDifficulty(getTask(run.task), run.difficulty) };
}
