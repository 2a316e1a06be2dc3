/**
 * What a GRPO iteration reports: a record per rollout (its tokens, values, verdicts, advantage, minibatch) and the
 * iteration's metrics under TRL's names (docs/methods.md §3.6), plus the label-free modes' own.
 */
import { REWARD_NAMES } from '../rewards';
import type { Task } from '../tasks/types';
import type { Metrics, RolloutRecord } from '../trainer';
import { sampleStd } from './advantages';
import type { Group } from './collect';
import type { GrpoConfig } from './config';

/** What learning from one generation batch did, per sequence in generation order where per sequence. */
export interface Learned {
  /** Statistics of every optimizer step, in order (μ passes × minibatches). */
  steps: Metrics[];
  minibatchOf: number[];
  /** Loss weight of each completion token. */
  tokenWeights: number[][];
  /** Reference-policy log-probs of each completion token (when beta > 0). */
  refLogprobs: number[][] | null;
}

export function rolloutRecords(iteration: number, groups: readonly Group[], learned: Learned, G: number): RolloutRecord[] {
  return groups.flatMap((g, gi) =>
    g.rollouts.map((r, i): RolloutRecord => ({
      iteration,
      group: gi,
      prompt: g.instance.prompt,
      gold: g.instance.answer,
      completion: g.completions[i],
      tokens: r.tokens,
      logprobs: r.logprobs,
      refLogprobs: learned.refLogprobs?.[gi * G + i] ?? null,
      entropies: r.entropies,
      truncated: r.truncated,
      answer: g.scored[i].answer,
      correct: g.scored[i].correct,
      reward: g.scored[i].reward,
      parts: g.scored[i].parts,
      verdicts: g.scored[i].verdicts,
      advantage: g.advantages[i],
      actSeed: r.actSeed,
      minibatch: learned.minibatchOf[gi * G + i],
      pseudoLabel: g.labelFree?.majority ?? null,
    })),
  );
}

export const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Reward, length and correctness statistics of scored groups: what every sampling algorithm logs. */
export function sampleMetrics(groups: readonly Group[]): Metrics {
  const scored = groups.flatMap((g) => g.scored);
  const rewards = scored.map((s) => s.reward);
  const lengths = groups.flatMap((g) => g.rollouts.map((r) => r.tokens.length));
  const truncated = groups.flatMap((g) => g.rollouts.map((r) => r.truncated));
  const m: Metrics = {
    reward: mean(rewards),
    reward_std: sampleStd(rewards),
    'completions/mean_length': mean(lengths),
    'completions/min_length': Math.min(...lengths),
    'completions/max_length': Math.max(...lengths),
    'completions/clipped_ratio': mean(truncated.map((t) => (t ? 1 : 0))),
    'completions/mean_terminated_length': mean(lengths.filter((_, i) => !truncated[i])),
    'completions/mean_length_correct': mean(lengths.filter((_, i) => scored[i].correct)),
    'completions/mean_length_incorrect': mean(lengths.filter((_, i) => !scored[i].correct)),
    accuracy_train: mean(scored.map((s) => (s.correct ? 1 : 0))),
  };
  for (const name of REWARD_NAMES) {
    const vals = scored.map((s) => s.parts[name]).filter((v): v is number => v !== undefined);
    if (!vals.length) continue;
    m[`rewards/${name}/mean`] = mean(vals);
    m[`rewards/${name}/std`] = sampleStd(vals);
  }
  return m;
}

export interface IterationMetricsInput {
  iteration: number;
  cfg: GrpoConfig;
  task: Task;
  groups: readonly Group[];
  sampled: readonly Group[];
  steps: readonly Metrics[];
  tokensSeen: number;
}

export function iterationMetrics({ iteration, cfg, task, groups, sampled, steps, tokensSeen }: IterationMetricsInput): Metrics {
  const avg = (k: string) => mean(steps.map((s) => s[k]));
  const m: Metrics = {
    step: iteration + 1,
    ...sampleMetrics(groups),
    frac_reward_zero_std: mean(sampled.map((g) => (g.zeroStd ? 1 : 0))),
    entropy: avg('entropy'),
    'clip_ratio/low_mean': avg('low'),
    'clip_ratio/high_mean': avg('high'),
    'clip_ratio/region_mean': avg('low') + avg('high'),
    'clip_ratio/low_min': avg('low_min'),
    'clip_ratio/high_max': avg('high_max'),
    num_tokens: tokensSeen,
    loss: avg('loss'),
    grad_norm: avg('grad_norm'),
    learning_rate: steps[steps.length - 1].learning_rate,
    groups_resampled: sampled.length - groups.length,
  };
  // As TRL: the KL to the reference is logged only when it is part of the loss.
  if (cfg.beta > 0) m.kl = avg('kl');
  if (cfg.label_mode !== 'gold') {
    const labelled = groups.filter((g) => g.labelFree?.majority !== null);
    m.pseudo_label_accuracy = mean(labelled.map((g) => (task.verify(g.labelFree!.majority, g.instance).score === 1 ? 1 : 0)));
    m.frac_penalised = mean(groups.map((g) => (g.labelFree?.penalised ? 1 : 0)));
    m.prompt_weight_mean = mean(groups.map((g) => g.promptWeight));
  }
  return m;
}

/** Wall time of an iteration and of its phases (sampling, scoring, optimisation), in seconds, from performance.now() marks. */
export function timingMetrics(start: number, sampled: number, scored: number, trained: number): Metrics {
  return {
    step_time: (trained - start) / 1000,
    'time/rollout': (sampled - start) / 1000,
    'time/scoring': (scored - sampled) / 1000,
    'time/optimization': (trained - scored) / 1000,
  };
}

/** Prompt and completion tokens of a generation batch (BOS included), as TRL counts num_tokens. */
export function batchTokens(groups: readonly Group[]): number {
  return groups.reduce((sum, g) => sum + g.rollouts.reduce((n, r) => n + r.prompt.length + r.tokens.length, 0), 0);
}
