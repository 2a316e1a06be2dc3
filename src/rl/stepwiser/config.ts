/**
 * The `stepwiser` section of a run config: how the StepWiser step judge's labelled steps are made (label rule,
 * Monte-Carlo continuations, class balancing, how often the pool is rebuilt from the policy), the judge model
 * (size, SFT warm-up, completions per step) and the chunk-reset comparison. Sampling and optimiser settings the
 * judge's GRPO shares with the policy's stay in `grpo` (docs/judges.md "The StepWiser trainer").
 */
import { flag, intIn, numIn, oneOf, options } from '../../model/validation';
import type { PresetName } from '../../model/config';
import type { StepRule } from '../judgeTraining/stepData';

export type StepLabelRule = 'abs_q' | 'rel_ratio' | 'rel_effective';

/** The config's rule names → the data layer's (src/rl/judgeTraining/stepData.ts). */
export const RULE_OF: Record<StepLabelRule, StepRule> = { abs_q: 'absQ', rel_ratio: 'relRatio', rel_effective: 'relEffective' };

export interface StepwiserConfig {
  rule: StepLabelRule;
  /** Rel-Ratio: a step is positive when Q̂_i / Q̂_{i−1} > γ. */
  gamma: number;
  /** Rel-Effective: weight of the best-of-n value's change. */
  alpha: number;
  /** Rel-Effective: n of the best-of-n policy. */
  best_of: number;
  /** M: Monte-Carlo continuations per step prefix. */
  continuations: number;
  /** Down-sample the majority label to 50/50 before training (the paper's judge otherwise says "Positive" always). */
  balance: boolean;
  /** Policy solutions sampled per pool build (each gives one labelled example per step). */
  solutions: number;
  /** Policy solutions whose labelled steps form the held-out set (built once, from prompts the pool never sees). */
  held_out: number;
  /** Rebuild the pool from the policy every this many iterations; 0 builds it once. */
  refresh_every: number;
  judge_preset: PresetName;
  judge_context: number;
  /** SFT warm-up steps of the judge on its pool's demonstrations (analysis then verdict), batch 16. */
  judge_sft_steps: number;
  /** G of the judge's GRPO: completions per judged step. */
  judge_generations: number;
  /** Most tokens a judge writes (analysis and verdict). */
  judge_max_tokens: number;
  /** k: attempts per step in chunk-reset sampling with the trained judge. */
  reset_attempts: number;
  /** Problems of the with-vs-without chunk-reset comparison. */
  reset_problems: number;
}

export const DEFAULT_STEPWISER: StepwiserConfig = {
  rule: 'abs_q',
  gamma: 0.7,
  alpha: 1,
  best_of: 4,
  continuations: 8,
  balance: true,
  solutions: 32,
  held_out: 16,
  refresh_every: 0,
  judge_preset: 'tiny',
  judge_context: 48,
  judge_sft_steps: 40,
  judge_generations: 8,
  judge_max_tokens: 8,
  reset_attempts: 4,
  reset_problems: 32,
};

export const STEPWISER_LIMITS = {
  continuations: 64,
  solutions: 512,
  bestOf: 64,
  refreshEvery: 100_000,
  judgeContext: 256,
  judgeSftSteps: 100_000,
  judgeGenerations: 64,
  judgeMaxTokens: 64,
  resetAttempts: 16,
  resetProblems: 512,
} as const;

export const StepwiserSchema = options({
  rule: oneOf(['abs_q', 'rel_ratio', 'rel_effective']),
  gamma: numIn(0, 10),
  alpha: numIn(0, 100),
  best_of: intIn(1, STEPWISER_LIMITS.bestOf),
  continuations: intIn(1, STEPWISER_LIMITS.continuations),
  balance: flag(),
  solutions: intIn(1, STEPWISER_LIMITS.solutions),
  held_out: intIn(1, STEPWISER_LIMITS.solutions),
  refresh_every: intIn(0, STEPWISER_LIMITS.refreshEvery),
  judge_preset: oneOf(['tiny', 'small', 'medium']),
  judge_context: intIn(8, STEPWISER_LIMITS.judgeContext),
  judge_sft_steps: intIn(0, STEPWISER_LIMITS.judgeSftSteps),
  judge_generations: intIn(2, STEPWISER_LIMITS.judgeGenerations),
  judge_max_tokens: intIn(2, STEPWISER_LIMITS.judgeMaxTokens),
  reset_attempts: intIn(1, STEPWISER_LIMITS.resetAttempts),
  reset_problems: intIn(1, STEPWISER_LIMITS.resetProblems),
});
