/**
 * Settings of the judges trained here (docs/judges.md): `j1`, the J1 judge — its model, warm-up, GRPO batch and
 * rewards, and the pool of policy answers it learns from — used by the `j1` algorithm and, for its judge, by
 * `onpolicy-rm`; and `onpolicy_rm`, how often the on-policy reward model is refreshed on the policy's rollouts.
 * The judge's sampling temperature, clipping and loss are the run's `grpo` settings.
 */
import { flag, intIn, numIn, oneOf, options } from '../../model/validation';
import type { PresetName } from '../../model/config';

export interface J1Config {
  judge_preset: PresetName;
  /** The judge's context in tokens: BOS, the pair prompt and its output. */
  judge_context: number;
  /** SFT warm-up of the judge on its demonstrations (its own result, then the verdict). */
  judge_sft_steps: number;
  judge_sft_batch: number;
  judge_sft_lr: number;
  /** The judge's GRPO learning rate. */
  learning_rate: number;
  /** Pairs per judge batch; each is judged in both orders, so the batch holds twice as many prompts. */
  pairs_per_batch: number;
  /** Judge rollouts per order of a pair (G). */
  generations_per_order: number;
  /** The judge's output budget in tokens (its reasoning and `[[A]]`). */
  max_output: number;
  /** J1's consistency reward: +weight to both rollouts k of a pair when both orders are right. */
  consistency_reward: boolean;
  consistency_weight: number;
  /** Policy prompts sampled to build the pool of pairs, and answers per prompt. */
  pool_prompts: number;
  pool_answers: number;
  /** Judge iterations between rebuilds of the pool from fresh policy answers (0: built once). */
  pool_refresh: number;
  /** Held-out pairs for the judge's evaluation (from their own policy answers, never trained on). */
  heldout_pairs: number;
}

export const DEFAULT_J1: J1Config = {
  judge_preset: 'tiny',
  judge_context: 32,
  judge_sft_steps: 150,
  judge_sft_batch: 16,
  judge_sft_lr: 3e-3,
  learning_rate: 1e-3,
  pairs_per_batch: 4,
  generations_per_order: 4,
  max_output: 8,
  consistency_reward: true,
  consistency_weight: 1,
  pool_prompts: 64,
  pool_answers: 8,
  pool_refresh: 0,
  heldout_pairs: 32,
};

export const J1_LIMITS = { pairs: 32, generations: 32, poolPrompts: 512, poolAnswers: 32, heldoutPairs: 256, sftSteps: 100_000 } as const;

export const J1Schema = options({
  judge_preset: oneOf(['tiny', 'small', 'medium']),
  judge_context: intIn(8, 1024),
  judge_sft_steps: intIn(0, J1_LIMITS.sftSteps),
  judge_sft_batch: intIn(1, 256),
  judge_sft_lr: numIn(0, 1),
  learning_rate: numIn(0, 1),
  pairs_per_batch: intIn(1, J1_LIMITS.pairs),
  generations_per_order: intIn(2, J1_LIMITS.generations),
  max_output: intIn(4, 256),
  consistency_reward: flag(),
  consistency_weight: numIn(0, 10),
  pool_prompts: intIn(1, J1_LIMITS.poolPrompts),
  pool_answers: intIn(2, J1_LIMITS.poolAnswers),
  pool_refresh: intIn(0, 100_000),
  heldout_pairs: intIn(0, J1_LIMITS.heldoutPairs),
});

export interface OnPolicyRmConfig {
  /** Policy iterations between judge refreshes. */
  refresh_every: number;
  /** Judge GRPO iterations per refresh, on pairs from the policy's latest rollouts. */
  refresh_iterations: number;
  /** How those rollouts are paired (onPolicyPairs): score-balanced, or each against one pivot. */
  pairing: 'balanced' | 'pivot';
}

export const DEFAULT_ONPOLICY_RM: OnPolicyRmConfig = { refresh_every: 5, refresh_iterations: 2, pairing: 'balanced' };

export const OnPolicyRmSchema = options({
  refresh_every: intIn(1, 100_000),
  refresh_iterations: intIn(0, 1000),
  pairing: oneOf(['balanced', 'pivot']),
});
