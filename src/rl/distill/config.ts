/**
 * Settings of trace-selection distillation (docs/reasoning.md, "Trace-selection distillation"; NaturalThoughts, arXiv 2507.01921), the run
 * config's `distill` section. The teacher's sampling settings (temperature, top-k, top-p, completion budget) are
 * the shared ones of the `grpo` section; the student's optimiser settings are its own, here.
 */
import { flag, intIn, numIn, oneOf, options, problemsOf } from '../../model/validation';
import { TRACE_SELECTORS, type TraceSelector } from '../reasoning/traceSelection';
import { THINK_MODES, type ThinkMode } from '../tasks/think';

export interface DistillConfig {
  /** How the budget is picked from the teacher's pool (rl/reasoning/traceSelection.ts). */
  selector: TraceSelector;
  /**
   * What the student learns to write: the whole trace ('think'), the teacher's answer alone ('answer-only'), or
   * both behind a mode character ('mixed': the trace on hard prompts, the answer alone on easy ones).
   */
  targets: ThinkMode;
  /** Traces the teacher samples, once, one per prompt. */
  pool: number;
  /** Traces the student is trained on in all; each iteration hands it the next ⌈budget / iterations⌉. */
  budget: number;
  /** Keep only the traces whose answer is correct (true), or every trace with an answer (false). */
  correct_only: boolean;
  /** Student SFT steps per iteration, each on a minibatch drawn from every trace handed over so far. */
  steps_per_iteration: number;
  batch: number;
  /** The student's learning rate (constant, as NaturalThoughts trained). */
  learning_rate: number;
  /** τ of the long selector's weights (length/C)^τ. */
  tau: number;
  /** C of the long selector; 0 takes the pool's longest trace. */
  length_scale: number;
  /** SFT steps of the second model, an answer-only (System-1) policy whose answers the disagreement selector compares. */
  second_steps: number;
}

export const DEFAULT_DISTILL: DistillConfig = {
  selector: 'random',
  targets: 'think',
  pool: 1024,
  budget: 256,
  correct_only: true,
  steps_per_iteration: 40,
  batch: 32,
  learning_rate: 3e-3,
  tau: 2.5,
  length_scale: 0,
  second_steps: 300,
};

export const DISTILL_LIMITS = {
  /** One pool is sampled in slices of POOL_SLICE rows; 8192 traces of ≤ 64 tokens stay a few MB on the host. */
  pool: 8192,
  stepsPerIteration: 10_000,
  batch: 256,
  learningRate: 1,
  tau: 20,
  lengthScale: 1024,
  secondSteps: 100_000,
} as const;

export const DistillSchema = options({
  selector: oneOf(TRACE_SELECTORS),
  targets: oneOf(THINK_MODES),
  pool: intIn(1, DISTILL_LIMITS.pool),
  budget: intIn(1, DISTILL_LIMITS.pool),
  correct_only: flag(),
  steps_per_iteration: intIn(0, DISTILL_LIMITS.stepsPerIteration),
  batch: intIn(1, DISTILL_LIMITS.batch),
  learning_rate: numIn(0, DISTILL_LIMITS.learningRate, { min: true }),
  tau: numIn(0, DISTILL_LIMITS.tau),
  length_scale: intIn(0, DISTILL_LIMITS.lengthScale),
  second_steps: intIn(0, DISTILL_LIMITS.secondSteps),
});

/** The task distillation works on: its traces have a scratchpad to keep, cut or mix. */
export const DISTILL_TASK = 'think-budget';

/**
 * Rules across sections, as [path, message]: the task must be think-budget with a thinking teacher (mode 0), and the
 * budget cannot exceed the pool.
 */
export function distillRules(task: string, difficulty: Record<string, unknown>, cfg: DistillConfig): Array<[string[], string]> {
  const out: Array<[string[], string]> = [];
  if (task !== DISTILL_TASK) out.push([['task'], `distill needs the ${DISTILL_TASK} task, whose traces have a scratchpad (got "${task}")`]);
  else if ((difficulty.mode ?? 0) !== 0) out.push([['difficulty', 'mode'], `distill's teacher is warm-started to think: the warm-start mode must be 0 (got ${String(difficulty.mode)})`]);
  if (cfg.budget > cfg.pool) out.push([['distill', 'budget'], `the budget (${cfg.budget}) cannot exceed the teacher's pool (${cfg.pool})`]);
  return out;
}

/** Every problem of a distill config on its own, as "option: what is wrong" (empty when valid). */
export function distillProblems(c: DistillConfig): string[] {
  return problemsOf(DistillSchema.safeParse(c));
}
