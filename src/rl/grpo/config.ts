/**
 * GRPO options with TRL's names where TRL has them (docs/methods.md §3.7), playground defaults for tiny models (not TRL's), and
 * validation that names what is wrong.
 */
import type { ScaleRewards } from './advantages';
import type { LossType } from './lossWeights';
import type { RestrainOptions } from './restrain';

export type LabelMode = 'gold' | 'ttrl' | 'restrain';

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

export function grpoProblems(c: GrpoConfig): string[] {
  const p: string[] = [];
  const int = (name: keyof GrpoConfig, min: number) => {
    const v = c[name] as number;
    if (!Number.isInteger(v) || v < min) p.push(`${name} must be an integer ≥ ${min} (got ${v})`);
  };
  int('num_generations', 2);
  int('prompts_per_step', 1);
  int('max_completion_length', 1);
  int('num_iterations', 1);
  int('minibatches', 1);
  int('dynamic_sampling_rounds', 0);
  int('top_k', 0);
  int('warmup_steps', 0);
  if (!(c.temperature > 0)) p.push(`temperature must be > 0 (got ${c.temperature})`);
  if (!(c.top_p > 0 && c.top_p <= 1)) p.push(`top_p must be in (0, 1] (got ${c.top_p})`);
  for (const k of ['beta', 'epsilon', 'epsilon_high', 'entropy_coef', 'learning_rate', 'weight_decay'] as const) {
    if (!(c[k] >= 0)) p.push(`${k} must be ≥ 0 (got ${c[k]})`);
  }
  if (!(c.max_grad_norm > 0)) p.push(`max_grad_norm must be > 0 (got ${c.max_grad_norm})`);
  if (c.epsilon >= 1) p.push(`epsilon must be < 1 (got ${c.epsilon})`);
  if (c.prompts_per_step % c.minibatches !== 0) p.push(`minibatches (${c.minibatches}) must divide prompts_per_step (${c.prompts_per_step})`);
  if (!['grpo', 'bnpo', 'dapo', 'dr_grpo'].includes(c.loss_type)) p.push(`unknown loss_type ${c.loss_type}`);
  if (!['group', 'batch', 'none'].includes(c.scale_rewards)) p.push(`unknown scale_rewards ${c.scale_rewards}`);
  if (!['gold', 'ttrl', 'restrain'].includes(c.label_mode)) p.push(`unknown label_mode ${c.label_mode}`);
  if (!(c.restrain.sigma > 0)) p.push(`restrain sigma must be > 0 (got ${c.restrain.sigma})`);
  return p;
}
