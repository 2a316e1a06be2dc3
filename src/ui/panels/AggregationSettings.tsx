/**
 * Test-time aggregation's own settings (docs/reasoning.md, "Aggregation training"): the pool size m, k of the
 * candidates' pass@k advantages, the held-out aggregation rounds T and the share of aggregation demonstrations in the
 * warm-start. Aggregator samples per aggregation prompt are GRPO's num_generations (rollout settings).
 */
import { AGGREGATION_LIMITS } from '../../rl/aggregation/config';
import { NumberField } from './fields';

export function AggregationSettings() {
  return (
    <>
      <NumberField label="pool size m" path="aggregation.pool_size" min={2} max={AGGREGATION_LIMITS.pool_size} hint="candidates per problem, listed in the aggregation prompt" />
      <NumberField label="pass@k k" path="aggregation.k" min={1} max={AGGREGATION_LIMITS.pool_size} hint="the candidates' pass@k advantages (k = 1: mean-centred reward)" />
      <NumberField label="aggregation rounds T" path="aggregation.rounds" min={1} max={AGGREGATION_LIMITS.rounds} hint="held-out rounds: each aggregates the previous round's answers" />
      <NumberField label="warm-start aggregation share" path="aggregation.warm_start_share" step={0.1} min={0} max={1} hint="demonstrations that pick the right answer from a listed pool" />
    </>
  );
}
