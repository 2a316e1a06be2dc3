/**
 * Settings of semi-online DPO (docs/dpo.md; arXiv 2506.21495), the run config's `dpo` section. Sampling and the
 * optimiser are shared with GRPO and stay in the `grpo` section (prompts_per_step, num_generations, temperature,
 * top_p, top_k, max_completion_length, learning_rate, warmup_steps, weight_decay, max_grad_norm); the GRPO-only
 * settings there (epsilon, loss_type, minibatches, num_iterations, dynamic sampling, …) do not apply to DPO.
 */
import * as z from 'zod';
import { flag, intIn, numIn, oneOf, options, problemsOf, show } from '../../model/validation';

/** How a prompt's completions make its one preference pair. */
export type PairRule = 'random' | 'best_worst';
export const PAIR_RULES = ['random', 'best_worst'] as const satisfies readonly PairRule[];

/** Optimizer steps between generator syncs, or 'offline': the generator never syncs (s = ∞). */
export type SyncInterval = number | 'offline';

export interface DpoConfig {
  /** β: the scale of the implicit reward β·log(π/π_ref). */
  beta: number;
  /** s: the generator is refreshed from the policy every s optimizer steps (1 = online); 'offline' = never. */
  sync_interval: SyncInterval;
  /** π_ref is refreshed together with the generator (true) or stays the initial policy (false). */
  ref_sync: boolean;
  /**
   * 'random': a random correct vs a random incorrect completion (verifiable rewards; prompts with one kind only are
   * skipped); 'best_worst': the highest- vs the lowest-reward completion (judged rewards; prompts whose rewards all
   * tie are skipped).
   */
  pairs: PairRule;
}

export const DEFAULT_DPO: DpoConfig = { beta: 0.1, sync_interval: 1, ref_sync: true, pairs: 'random' };

export const DPO_LIMITS = {
  beta: 100,
  /** Beyond any run's iterations (RUN_LIMITS.iterations); use 'offline' for never. */
  sync_interval: 100_000,
} as const;

const syncIntervalMessage = (v: unknown) => `must be an integer in [1, ${DPO_LIMITS.sync_interval}] or "offline" (got ${show(v)})`;
const syncInterval = z.union([intIn(1, DPO_LIMITS.sync_interval, syncIntervalMessage), z.literal('offline')], { error: (iss) => syncIntervalMessage(iss.input) });

export const DpoSchema = options({
  beta: numIn(0, DPO_LIMITS.beta, { min: true }),
  sync_interval: syncInterval,
  ref_sync: flag(),
  pairs: oneOf(PAIR_RULES),
});

/** Every problem of a DPO config as "option: what is wrong" (empty when valid). */
export function dpoProblems(c: DpoConfig): string[] {
  return problemsOf(DpoSchema.safeParse(c));
}
