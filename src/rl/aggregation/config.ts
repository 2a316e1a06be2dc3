/**
 * Settings of test-time aggregation training (Principia/ParaGator, arXiv 2603.18886; docs/reasoning.md, "Aggregation
 * training"): the `aggregation` section of the run config. Sampling and the optimiser stay in `grpo`:
 * prompts_per_step problems per iteration, num_generations aggregator samples per aggregation prompt.
 */
import * as z from 'zod';
import { intIn, numIn, options, problemsOf, whenValid } from '../../model/validation';

export interface AggregationConfig {
  /** m: candidates sampled per problem (the pool), and outputs per aggregation round at evaluation. */
  pool_size: number;
  /** k of the candidates' pass@k advantages (1 ≤ k ≤ m). */
  k: number;
  /** T: aggregation rounds at evaluation (round t aggregates round t − 1's outputs). */
  rounds: number;
  /** Share of warm-start demonstrations that are aggregation prompts with the correct answer among their candidates. */
  warm_start_share: number;
}

export const DEFAULT_AGGREGATION: AggregationConfig = { pool_size: 4, k: 2, rounds: 2, warm_start_share: 0.5 };

/** Bounds: a pool is listed whole in one prompt, so it stays small; rounds multiply the evaluation's samples. */
export const AGGREGATION_LIMITS = { pool_size: 16, rounds: 8 } as const;

export const AggregationSchema = options({
  pool_size: intIn(2, AGGREGATION_LIMITS.pool_size),
  k: intIn(1, AGGREGATION_LIMITS.pool_size),
  rounds: intIn(1, AGGREGATION_LIMITS.rounds),
  warm_start_share: numIn(0, 1),
}).check(
  z.superRefine(
    (c, ctx) => {
      if (c.k > c.pool_size) ctx.addIssue({ code: 'custom', path: ['k'], message: `k (${c.k}) must not exceed pool_size (${c.pool_size}): pass@k draws k of the pool's candidates` });
    },
    { when: whenValid('k', 'pool_size') },
  ),
);

/** Every problem of an aggregation config as "option: what is wrong" (empty when valid). */
export function aggregationProblems(c: AggregationConfig): string[] {
  return problemsOf(AggregationSchema.safeParse(c));
}
