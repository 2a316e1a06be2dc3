/**
 * What a DPO iteration reports (docs/dpo.md): TRL's DPO metric names for the step (rewards/chosen, rewards/rejected,
 * rewards/margins, rewards/accuracies, logps/chosen, logps/rejected, loss, grad_norm), the pairing and the
 * generator's staleness under dpo/, the sampling metrics every algorithm logs, and the entropy of the sampled
 * completions. The step's metrics are absent on an iteration without pairs (no step was taken).
 */
import type { Group } from '../grpo/collect';
import { mean, sampleMetrics } from '../grpo/metrics';
import type { Metrics } from '../trainer';
import type { Pairing } from './pairs';
import type { DpoStepResult } from './optimize';

export interface DpoIterationInput {
  iteration: number;
  groups: readonly Group[];
  pairing: Pairing;
  /** The step's result, null when the iteration had no pairs. */
  step: DpoStepResult | null;
  learningRate: number;
  /** Optimizer steps the policy had taken since the generator that sampled this batch was synced. */
  generatorLag: number;
  tokensSeen: number;
}

export function dpoMetrics({ iteration, groups, pairing, step, learningRate, generatorLag, tokensSeen }: DpoIterationInput): Metrics {
  const m: Metrics = {
    step: iteration + 1,
    ...sampleMetrics(groups),
    entropy: sampledEntropy(groups),
    num_tokens: tokensSeen,
    learning_rate: learningRate,
    'dpo/pairs': pairing.pairs.length,
    'dpo/skipped_prompts': pairing.skipped,
    'dpo/generator_lag': generatorLag,
  };
  if (!step) return m;
  const P = step.margins.length;
  const avg = (xs: ArrayLike<number>, from = 0, to = xs.length) => mean(Array.from(xs).slice(from, to));
  return {
    ...m,
    loss: step.loss,
    grad_norm: step.grad_norm,
    'rewards/chosen': avg(step.rewards, 0, P),
    'rewards/rejected': avg(step.rewards, P),
    'rewards/margins': avg(step.margins),
    'rewards/accuracies': avg(step.accuracies),
    'logps/chosen': avg(step.logps, 0, P),
    'logps/rejected': avg(step.logps, P),
  };
}

/** Mean per-token entropy of the generator's sampled completions (at the sampling temperature). */
export function sampledEntropy(groups: readonly Group[]): number {
  let sum = 0, tokens = 0;
  for (const g of groups) {
    for (const r of g.rollouts) {
      for (const e of r.entropies) sum += e;
      tokens += r.entropies.length;
    }
  }
  return tokens ? sum / tokens : 0;
}
