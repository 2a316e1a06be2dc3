/**
 * GRPO options with TRL's names where TRL has them (docs/methods.md §3.7), playground defaults for tiny models (not TRL's), and
 * validation that names what is wrong.
 */
import * as z from 'zod';
import { JUDGE_CALLS_PER_ITERATION, MAX_DYNAMIC_SAMPLING_ROUNDS } from '../../engine/streams';
import { F32_MAX, flag, intIn, numIn, oneOf, options, problemsOf, show, whenValid } from '../../model/validation';
import type { ScaleRewards } from './advantages';
import type { LossType } from './lossWeights';
import type { RestrainOptions } from './restrain';

export type LabelMode = 'gold' | 'ttrl' | 'restrain';

/** Where the importance ratio π_θ/π_old is taken: per token (GRPO) or per sequence (GSPO, docs/methods.md §3.3). */
export type ImportanceSamplingLevel = 'token' | 'sequence';

export interface GrpoConfig {
  /** G: completions per prompt (≥ 2). */
  num_generations: number;
  /** Prompts sampled per iteration. */
  prompts_per_step: number;
  temperature: number;
  top_p: number;
  top_k: number;
  max_completion_length: number;
  /** KL coefficient; 0 keeps no reference policy. */
  beta: number;
  epsilon: number;
  epsilon_high: number;
  /** 'sequence' (GSPO): one ratio per completion, exp of its tokens' mean log-ratio, clipped once for all its tokens. */
  importance_sampling_level: ImportanceSamplingLevel;
  /** Two-sided clipping: for negative advantages the ratio is also capped at delta (> 1 + epsilon_high); null = off. */
  delta: number | null;
  /** μ: optimisation passes over each generation batch. */
  num_iterations: number;
  /** Minibatches per pass (each is one optimizer step). */
  minibatches: number;
  loss_type: LossType;
  scale_rewards: ScaleRewards;
  mask_truncated_completions: boolean;
  /** DAPO dynamic sampling: drop zero-std groups and sample again, at most this many extra rounds (0 = off). */
  dynamic_sampling_rounds: number;
  entropy_coef: number;
  max_grad_norm: number;
  learning_rate: number;
  warmup_steps: number;
  weight_decay: number;
  label_mode: LabelMode;
  restrain: RestrainOptions;
}

/** Floor of the learning rate's cosine decay, as a fraction of learning_rate (TRL: cosine_with_min_lr's min_lr_rate). */
export const GRPO_MIN_LR_RATIO = 0.1;

export const DEFAULT_GRPO: GrpoConfig = {
  num_generations: 8,
  prompts_per_step: 8,
  temperature: 1,
  top_p: 1,
  top_k: 0,
  max_completion_length: 8,
  beta: 0,
  epsilon: 0.2,
  epsilon_high: 0.2,
  importance_sampling_level: 'token',
  delta: null,
  num_iterations: 1,
  minibatches: 1,
  loss_type: 'dapo',
  scale_rewards: 'group',
  mask_truncated_completions: false,
  dynamic_sampling_rounds: 0,
  entropy_coef: 0,
  max_grad_norm: 1,
  learning_rate: 1e-3,
  warmup_steps: 0,
  weight_decay: 0,
  label_mode: 'gold',
  restrain: { center: 1, sigma: 0.3, kappa: 2, delta: 0.3 },
};

/**
 * Size bounds of a GRPO step: a step samples prompts_per_step × num_generations completions per round, each up
 * to max_completion_length tokens. The RNG layout (engine/streams.ts) bounds the rounds and the completions of
 * one iteration.
 */
export const GRPO_LIMITS = {
  num_generations: 64,
  prompts_per_step: 64,
  max_completion_length: 512,
  num_iterations: 16,
  warmup_steps: 100_000,
  top_k: 512,
  dynamic_sampling_rounds: MAX_DYNAMIC_SAMPLING_ROUNDS,
  completionsPerIteration: JUDGE_CALLS_PER_ITERATION,
  /** Learning rates become f32 on the device: anything larger is infinite there. (Huge ones are how divergence is tested.) */
  learningRate: F32_MAX,
} as const;

export const RestrainSchema = options({
  center: numIn(0, 1),
  sigma: numIn(0, 10, { min: true }),
  kappa: numIn(0, GRPO_LIMITS.num_generations),
  delta: numIn(0, 10),
  promptWeights: flag().optional(),
});

export const GrpoSchema = options({
  num_generations: intIn(2, GRPO_LIMITS.num_generations),
  prompts_per_step: intIn(1, GRPO_LIMITS.prompts_per_step),
  temperature: numIn(0, 100, { min: true }),
  top_p: numIn(0, 1, { min: true }),
  top_k: intIn(0, GRPO_LIMITS.top_k),
  max_completion_length: intIn(1, GRPO_LIMITS.max_completion_length),
  beta: numIn(0, 100),
  epsilon: numIn(0, 1, { max: true }),
  epsilon_high: numIn(0, 10),
  importance_sampling_level: oneOf(['token', 'sequence']),
  delta: numIn(1, 100, { min: true }, (v) => `must be null (off) or a number in (1, 100] (got ${show(v)})`).nullable(),
  num_iterations: intIn(1, GRPO_LIMITS.num_iterations),
  minibatches: intIn(1, GRPO_LIMITS.prompts_per_step),
  loss_type: oneOf(['grpo', 'bnpo', 'dapo', 'dr_grpo']),
  scale_rewards: oneOf(['group', 'batch', 'none']),
  mask_truncated_completions: flag(),
  dynamic_sampling_rounds: intIn(0, GRPO_LIMITS.dynamic_sampling_rounds, (v) => `must be an integer in [0, ${GRPO_LIMITS.dynamic_sampling_rounds}], the rounds the RNG stream layout has room for (got ${show(v)})`),
  entropy_coef: numIn(0, 10),
  max_grad_norm: numIn(0, 1e6, { min: true }),
  learning_rate: numIn(0, GRPO_LIMITS.learningRate),
  warmup_steps: intIn(0, GRPO_LIMITS.warmup_steps),
  weight_decay: numIn(0, 10),
  label_mode: oneOf(['gold', 'ttrl', 'restrain']),
  restrain: RestrainSchema,
}).check(
  z.superRefine(
    (c, ctx) => {
      if (c.prompts_per_step % c.minibatches !== 0) {
        ctx.addIssue({ code: 'custom', path: ['minibatches'], message: `minibatches (${c.minibatches}) must divide prompts_per_step (${c.prompts_per_step})` });
      }
    },
    { when: whenValid('prompts_per_step', 'minibatches') },
  ),
  z.superRefine(
    (c, ctx) => {
      // At or below 1 + epsilon_high the cap would also bind for positive advantages, where the clip already does.
      if (c.delta !== null && c.delta <= 1 + c.epsilon_high) {
        ctx.addIssue({ code: 'custom', path: ['delta'], message: `delta (${c.delta}) must be greater than 1 + epsilon_high (${1 + c.epsilon_high}), or null for off` });
      }
    },
    { when: whenValid('delta', 'epsilon_high') },
  ),
  z.superRefine(
    (c, ctx) => {
      const completions = c.prompts_per_step * c.num_generations * (c.dynamic_sampling_rounds + 1);
      if (completions > GRPO_LIMITS.completionsPerIteration) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: `prompts_per_step × num_generations × (dynamic_sampling_rounds + 1) = ${completions}, more than the ${GRPO_LIMITS.completionsPerIteration} completions an iteration's RNG counters have room for`,
        });
      }
    },
    { when: whenValid('prompts_per_step', 'num_generations', 'dynamic_sampling_rounds') },
  ),
);

/** Every problem of a GRPO config as "option: what is wrong" (empty when valid). */
export function grpoProblems(c: GrpoConfig): string[] {
  return problemsOf(GrpoSchema.safeParse(c));
}
