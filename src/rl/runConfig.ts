/**
 * The experiment config: the one JSON document the app's share link/export, `cli train --config` and
 * `cli export-trl` all use. Parsing fills defaults and reports every problem with its path.
 */
import * as z from 'zod';
import { modelFields, modelRules, presetConfig, type ModelConfig, type PresetName } from '../model/config';
import { CharTokenizer } from '../model/tokenizer';
import { intIn, numIn, oneOf, options, pathText, problemsOf, RESERVED_KEYS, reservedKeyProblems, show, text, unknownKey } from '../model/validation';
import { DEFAULT_DPO, DpoSchema, type DpoConfig } from './dpo/config';
import { AggregationSchema, DEFAULT_AGGREGATION, type AggregationConfig } from './aggregation/config';
import { aggregationRunRules } from './aggregation/rules';
import { DEFAULT_DISTILL, DistillSchema, distillRules, type DistillConfig } from './distill/config';
import { DEFAULT_GRPO, GRPO_LIMITS, GrpoSchema, type GrpoConfig } from './grpo/config';
import { NEUTRAL_JUDGE } from './judges/biased';
import { PROPOSAL_GRAMMARS } from './reasoning/selfInstruct';
import { DEFAULT_SELF_INSTRUCT, SelfInstructSchema, type SelfInstructConfig } from './selfInstruct/config';
import { DEFAULT_J1, DEFAULT_ONPOLICY_RM, J1Schema, OnPolicyRmSchema, type J1Config, type OnPolicyRmConfig } from './judgeTraining/config';
import { REWARD_NAMES, type RewardConfig, type RewardName } from './rewards';
import { DEFAULT_STEPWISER, StepwiserSchema, type StepwiserConfig } from './stepwiser/config';
import { getTask, TASKS } from './tasks/registry';
import { resolveDifficulty, type Task } from './tasks/types';

/** The training algorithms (src/rl/trainers.ts builds each one's trainer); GSPO is grpo at the sequence level. */
export const ALGORITHMS = ['grpo', 'dpo', 'self-instruct', 'aggregation', 'distill', 'j1', 'onpolicy-rm', 'stepwiser'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** What the algorithm picker shows for each, and what one iteration is called ("DPO iteration 3/20"). */
export const ALGORITHM_INFO: Record<Algorithm, { title: string; description: string; unit: string }> = {
  grpo: { title: 'GRPO', description: 'group-relative advantages and a clipped surrogate (GSPO: one ratio per sequence)', unit: 'GRPO' },
  dpo: { title: 'DPO (semi-online)', description: 'DPO learns from preference pairs of its own samples; the generator syncs every s steps', unit: 'DPO' },
  'self-instruct': { title: 'Self-instruct', description: 'GRPO on task instances the policy (or a scripted proposer) writes from two seeds, kept by answer-matching or self-consistency', unit: 'self-instruct' },
  aggregation: { title: 'Aggregation (ParaGator)', description: 'candidates with pass@k advantages, and the same policy aggregating their answers with pass@1', unit: 'aggregation' },
  distill: { title: 'Distil selected traces', description: 'the policy teaches: a fresh student is warm-started on a budget of its traces, picked by a selector (NaturalThoughts)', unit: 'distillation' },
  j1: { title: 'J1 judge', description: 'a pairwise judge trained with GRPO on the policy’s correct and incorrect answers, both orders per batch (J1)', unit: 'J1 judge' },
  'onpolicy-rm': { title: 'On-policy reward model', description: 'GRPO whose reward is a J1 judge, refreshed on the policy’s own fresh rollouts (RLLM)', unit: 'GRPO' },
  stepwiser: { title: 'StepWiser judge', description: 'trains a step judge with GRPO on Monte-Carlo step labels of the fixed policy (multi-step task); chunk-reset sampling with it', unit: 'StepWiser judge' },
};

/** Algorithms whose model_judge reward is a judge they train themselves (no ONNX judge is loaded for them). */
const OWN_JUDGE_ALGORITHMS: readonly Algorithm[] = ['onpolicy-rm'];

/** True when the run's model_judge reward needs a loaded (ONNX) judge. */
export function needsLoadedJudge(run: Pick<RunConfig, 'algorithm' | 'rewards'>): boolean {
  return Boolean(run.rewards.weights.model_judge) && !OWN_JUDGE_ALGORITHMS.includes(run.algorithm);
}

export interface RunConfig {
  /** What trains the policy after the warm-start. */
  algorithm: Algorithm;
  task: string;
  difficulty: Record<string, number>;
  seed: number;
  model: { preset: PresetName } & Partial<Omit<ModelConfig, 'vocabSize'>>;
  sft: { steps: number; batch: number; lr: number };
  /** GRPO's settings; its sampling and optimiser settings are DPO's too (see dpo/config.ts). */
  grpo: GrpoConfig;
  /** Semi-online DPO's own settings (used when algorithm is 'dpo'). */
  dpo: DpoConfig;
  /** Test-time aggregation training (algorithm 'aggregation'). */
  aggregation: AggregationConfig;
  /** Trace-selection distillation (algorithm 'distill'). */
  distill: DistillConfig;
  /** The StepWiser step-judge trainer's settings (algorithm 'stepwiser'). */
  stepwiser: StepwiserConfig;
  rewards: RewardConfig;
  /** Training iterations of the algorithm. */
  iterations: number;
  /** t_max: the think budget of AUC_OAA (tasks with an easy/hard split); null = grpo.max_completion_length. */
  eval: { n: number; every: number; t_max: number | null };
  /** Settings of the self-instruct algorithm (src/rl/selfInstruct/config.ts). */
  selfInstruct: SelfInstructConfig;
  /** The J1 judge (algorithms j1 and onpolicy-rm). */
  j1: J1Config;
  /** The on-policy reward model's refreshes (algorithm onpolicy-rm). */
  onpolicy_rm: OnPolicyRmConfig;
}

export const DEFAULT_RUN: RunConfig = {
  algorithm: 'grpo',
  task: 'addition',
  difficulty: { digits: 1 },
  seed: 1,
  model: { preset: 'tiny', contextLength: 32 },
  sft: { steps: 60, batch: 32, lr: 3e-3 },
  grpo: DEFAULT_GRPO,
  dpo: DEFAULT_DPO,
  aggregation: DEFAULT_AGGREGATION,
  distill: DEFAULT_DISTILL,
  stepwiser: DEFAULT_STEPWISER,
  rewards: { weights: { correct: 1 }, overlongCache: 2, judge: NEUTRAL_JUDGE },
  iterations: 20,
  eval: { n: 64, every: 5, t_max: null },
  selfInstruct: DEFAULT_SELF_INSTRUCT,
  j1: DEFAULT_J1,
  onpolicy_rm: DEFAULT_ONPOLICY_RM,
};

/**
 * Bounds of a run besides the model's and GRPO's (each named in its message). Iterations stay far below the
 * RNG layout's MAX_ITERATIONS_BY_STREAMS; a held-out evaluation samples eval.n × num_generations completions.
 */
export const RUN_LIMITS = {
  seed: 2 ** 32 - 1,
  iterations: 100_000,
  sftSteps: 100_000,
  sftBatch: 256,
  evalN: 512,
  evalRows: 4096,
  evalEvery: 100_000,
  rewardWeight: 100,
  judgeBias: 10,
  keywordChars: 64,
  /** Characters of a config's JSON text (a full config is about 1.5 kB). */
  configChars: 65_536,
} as const;

const PRESET_NAMES = ['tiny', 'small', 'medium'] as const satisfies readonly PresetName[];
const TASK_NAMES = TASKS.map((t) => t.name) as [string, ...string[]];

/** A run's model: a preset plus any architecture settings it overrides (the vocabulary comes from the task). */
const ModelOverridesSchema = options(
  { preset: oneOf(PRESET_NAMES, (v) => `unknown preset ${show(v)} (tiny, small or medium)`), ...z.object(modelFields).omit({ vocabSize: true }).partial().shape },
  'an object of model settings',
);

const JudgeSchema = options({
  lengthBias: numIn(-RUN_LIMITS.judgeBias, RUN_LIMITS.judgeBias),
  keywordBias: numIn(-RUN_LIMITS.judgeBias, RUN_LIMITS.judgeBias),
  keyword: text(RUN_LIMITS.keywordChars),
  noise: numIn(0, 1),
  positionBias: numIn(-RUN_LIMITS.judgeBias, RUN_LIMITS.judgeBias),
  seed: intIn(0, RUN_LIMITS.seed),
});

const weight = numIn(-RUN_LIMITS.rewardWeight, RUN_LIMITS.rewardWeight).optional();
const WeightsSchema = options(Object.fromEntries(REWARD_NAMES.map((n) => [n, weight])) as Record<RewardName, typeof weight>, 'an object of reward weights').check(
  z.refine((w) => Object.values(w).some((v) => v !== 0 && v !== undefined), { message: 'at least one reward component needs a non-zero weight' }),
);

/** Every section with its types and ranges; RunSchema adds the rules across sections. */
const RunFieldsSchema = options({
  algorithm: oneOf(ALGORITHMS, (v) => `unknown algorithm ${show(v)} (available: ${ALGORITHMS.join(', ')})`),
  task: oneOf(TASK_NAMES, (v) => `unknown task ${show(v)} (available: ${TASK_NAMES.join(', ')})`),
  difficulty: z.record(z.string(), z.unknown(), { error: (iss) => `must be an object of difficulty settings (got ${show(iss.input)})` }),
  seed: intIn(0, RUN_LIMITS.seed),
  model: ModelOverridesSchema,
  sft: options({ steps: intIn(0, RUN_LIMITS.sftSteps), batch: intIn(1, RUN_LIMITS.sftBatch), lr: numIn(0, GRPO_LIMITS.learningRate) }),
  grpo: GrpoSchema,
  rewards: options({ judge: JudgeSchema, weights: WeightsSchema, overlongCache: intIn(0, GRPO_LIMITS.max_completion_length) }),
  iterations: intIn(0, RUN_LIMITS.iterations),
  eval: options({ n: intIn(0, RUN_LIMITS.evalN), every: intIn(1, RUN_LIMITS.evalEvery), t_max: intIn(1, GRPO_LIMITS.max_completion_length).nullable() }),
  // Each algorithm's own settings.
  dpo: DpoSchema,
  selfInstruct: SelfInstructSchema,
  aggregation: AggregationSchema,
  distill: DistillSchema,
  j1: J1Schema,
  onpolicy_rm: OnPolicyRmSchema,
  stepwiser: StepwiserSchema,
});

/** The one schema every run config goes through (share links, run files, imported runs, presets, the CLI). */
export const RunSchema = RunFieldsSchema.check(
  z.superRefine((run, ctx) => {
    for (const { path, message } of runRules(run as RunConfig)) ctx.addIssue({ code: 'custom', path, message });
  }),
);

type RuleProblem = { path: string[]; message: string };

/**
 * Rules across sections, each checked only when the sections it reads are valid on their own: the task's
 * difficulty knobs, the model's head and MTA rules with the task's vocabulary, and the evaluation's size.
 */
function runRules(run: RunConfig): RuleProblem[] {
  const out: RuleProblem[] = [];
  const task = TASKS.find((t) => t.name === run.task);
  const difficulty = run.difficulty as unknown;
  if (task && typeof difficulty === 'object' && difficulty !== null && !Array.isArray(difficulty)) {
    for (const [knob, message] of difficultyProblems(task, difficulty as Record<string, unknown>)) out.push({ path: ['difficulty', knob], message });
  }
  if (task && ModelOverridesSchema.safeParse(run.model).success) {
    for (const { path, message } of modelRules(runModelConfig(run))) out.push({ path: ['model', ...path], message });
  }
  if (run.algorithm === 'self-instruct' && task && !PROPOSAL_GRAMMARS[task.name]) {
    out.push({ path: ['task'], message: `self-instruct needs a task with a proposal grammar (${Object.keys(PROPOSAL_GRAMMARS).join(', ')}), not ${task.name}` });
  }
  // Aggregation's needs of the sections it shares (grpo, model) and of the task's prompts, once those are valid.
  const knobsValid = typeof difficulty === 'object' && difficulty !== null && !Array.isArray(difficulty) && !out.some((p) => p.path[0] === 'difficulty');
  const sectionsValid = [GrpoSchema.safeParse(run.grpo), AggregationSchema.safeParse(run.aggregation), ModelOverridesSchema.safeParse(run.model)].every((r) => r.success);
  if (run.algorithm === 'aggregation' && task && knobsValid && sectionsValid) {
    const input = { task, difficulty: resolveDifficulty(task, run.difficulty), grpo: run.grpo, aggregation: run.aggregation, contextLength: runModelConfig(run).contextLength };
    for (const [path, message] of aggregationRunRules(input)) out.push({ path, message });
  }
  if (run.algorithm === 'distill' && typeof difficulty === 'object' && difficulty !== null && !Array.isArray(difficulty) && DistillSchema.safeParse(run.distill).success) {
    for (const [path, message] of distillRules(run.task, difficulty as Record<string, unknown>, run.distill)) out.push({ path, message });
  }
  const evalN = run.eval?.n, generations = run.grpo?.num_generations;
  const evalRows = evalN * generations;
  if (evalN <= RUN_LIMITS.evalN && generations <= GRPO_LIMITS.num_generations && evalRows > RUN_LIMITS.evalRows) {
    out.push({ path: ['eval', 'n'], message: `eval.n × grpo.num_generations = ${evalRows} held-out completions, more than ${RUN_LIMITS.evalRows}` });
  }
  return out;
}

function difficultyProblems(task: Task, given: Record<string, unknown>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const k of task.knobs) {
    const v = given[k.name];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < k.min || v > k.max)) {
      out.push([k.name, `${k.label} must be an integer in [${k.min}, ${k.max}] (got ${show(v)})`]);
    }
  }
  const known = task.knobs.map((k) => k.name);
  for (const name of Object.keys(given)) {
    if (RESERVED_KEYS.includes(name)) out.push([name, unknownKey(name, known)]);
    else if (!known.includes(name)) out.push([name, `${unknownKey(name, known)} (${task.name} has ${known.join(', ')})`]);
  }
  return out;
}

type Json = Record<string, unknown>;

/** `over` laid on `base`: objects merge key by key (own keys only, prototype names never copied), the rest replaces. */
function merge<T>(base: T, over: unknown): T {
  if (over === undefined) return base;
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return over as T;
  if (typeof over !== 'object' || over === null || Array.isArray(over)) return over as T;
  const out: Json = { ...(base as Json) };
  for (const [k, v] of Object.entries(over as Json)) {
    if (!RESERVED_KEYS.includes(k)) out[k] = Object.hasOwn(out, k) ? merge(out[k], v) : v;
  }
  return out as T;
}

/** The model config a run trains (vocabulary from the task's alphabet). */
export function runModelConfig(run: RunConfig): ModelConfig {
  const { preset, ...overrides } = run.model;
  return presetConfig(preset, new CharTokenizer(getTask(run.task).alphabet).vocabSize, overrides);
}

/** Every problem of a run config, each prefixed with where it is ("grpo.beta: ..."). */
export function runProblems(run: RunConfig): string[] {
  // The section rules run here whatever else failed (zod would skip them after a wrongly typed field).
  return [...problemsOf(RunFieldsSchema.safeParse(run)), ...runRules(run).map(({ path, message }) => `${pathText(path)}: ${message}`)];
}

/** Parse JSON text (or an object) into a complete, valid RunConfig; throws listing every problem. */
export function parseRunConfig(input: string | object): RunConfig {
  let raw: unknown = input;
  if (typeof input === 'string') {
    if (input.length > RUN_LIMITS.configChars) throw new Error(`run config is ${input.length} characters, more than the ${RUN_LIMITS.configChars} a config may have`);
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
  // A prototype name inside difficulty (taken whole, not merged) is also an unknown knob: list it once.
  const problems = [...new Set([...reservedKeyProblems(partial), ...runProblems(run)])];
  if (problems.length) throw new Error(`invalid run config:\n- ${problems.join('\n- ')}`);
  const valid = RunSchema.parse(run) as RunConfig;
  return { ...valid, difficulty: resolveDifficulty(getTask(valid.task), valid.difficulty) };
}
