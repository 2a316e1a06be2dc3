/**
 * StepWiser-style step values (docs/methods.md §6.3; fixed-separator steps, labels only, no judge training): for a multi-step completion, each step prefix is continued M
 * times by the policy; Q̂_i is the fraction of continuations whose final answer verifies. Labels per step:
 *   Abs-Q         + if Q̂_i > 0
 *   Rel-Ratio     + if Q̂_i / Q̂_{i−1} > γ        (0/0 counts as ratio 1)
 *   Rel-Effective + if Q̂_i + α·(Q^μ_i − Q^μ_{i−1}) > 0, Q^μ = 1 − (1 − Q̂)^n (best-of-n policy)
 * Q̂_0 is the value of the prompt alone. All continuations are sampled in one batched generate call.
 */
import type { Backend } from '../../engine/backend';
import { generate } from '../../model/generate';
import { BOS, type CharTokenizer } from '../../model/tokenizer';
import type { Transformer } from '../../model/transformer';
import type { Task, TaskInstance } from '../tasks/types';
import { isCorrect } from '../tasks/types';
import { verdict, type Verdict } from './verdict';

export interface StepWiserOptions {
  /** Continuations per prefix. */
  M: number;
  gamma: number;
  alpha: number;
  /** n of the best-of-n policy in Rel-Effective. */
  bestOf: number;
  /** The completion budget: a continuation after a prefix gets what the prefix leaves of it. */
  maxNewTokens: number;
  temperature: number;
  seed: number;
  separator: string;
}

export interface StepValue {
  step: string;
  q: number;
  absQ: boolean;
  relRatio: boolean;
  relEffective: boolean;
  verdict: Verdict;
}

/** Q̂ and the three labels for steps with values q[1..] given the prompt's value q[0]. */
export function stepLabels(q: number[], opts: Pick<StepWiserOptions, 'gamma' | 'alpha' | 'bestOf'>) {
  const qmu = (x: number) => 1 - (1 - x) ** opts.bestOf;
  return q.slice(1).map((qi, k) => {
    const prev = q[k];
    const ratio = prev === 0 ? (qi === 0 ? 1 : Infinity) : qi / prev;
    return { q: qi, absQ: qi > 0, relRatio: ratio > opts.gamma, relEffective: qi + opts.alpha * (qmu(qi) - qmu(prev)) > 0 };
  });
}

export async function stepValues(
  be: Backend,
  model: Transformer,
  tok: CharTokenizer,
  task: Task,
  instance: TaskInstance,
  completion: string,
  opts: StepWiserOptions,
): Promise<StepValue[]> {
  const continuations: ContinuationSampler = {
    tokens: (text) => tok.encode(text).length,
    async sample(prompt, count, budget, stream) {
      const ids = [BOS, ...tok.encode(prompt)];
      const rollouts = await generate(
        be,
        model,
        Array.from({ length: count }, () => ids),
        { maxNewTokens: budget, temperature: opts.temperature, topK: 0, topP: 1, greedy: false, seed: opts.seed, stream },
      );
      return rollouts.map((r) => tok.decode(r.tokens));
    },
  };
  return stepValuesFrom(continuations, task, instance, completion, opts);
}

/**
 * Where the Monte-Carlo continuations come from: the policy (stepValues) or, in tests, a scripted continuer.
 * `sample` returns `count` continuations of `prompt` of at most `budget` tokens, drawn on RNG stream `stream`.
 */
export interface ContinuationSampler {
  tokens(text: string): number;
  sample(prompt: string, count: number, budget: number, stream: number): Promise<string[]>;
}

export async function stepValuesFrom(
  continuations: ContinuationSampler,
  task: Task,
  instance: TaskInstance,
  completion: string,
  opts: Omit<StepWiserOptions, 'temperature' | 'seed'>,
): Promise<StepValue[]> {
  const steps = completion.split(opts.separator).filter((s, i, all) => s.length > 0 && i < all.length - 1);
  const prefixes = [''].concat(steps.map((_, i) => steps.slice(0, i + 1).join(opts.separator) + opts.separator));
  const q: number[] = [];
  for (const [i, p] of prefixes.entries()) {
    // The continuation gets what the completion budget leaves after the prefix, as a sampled completion would.
    const budget = opts.maxNewTokens - continuations.tokens(p);
    if (budget <= 0) {
      q.push(isCorrect(task, task.extractAnswer(p), instance) ? 1 : 0);
      continue;
    }
    const rollouts = await continuations.sample(instance.prompt + p, opts.M, budget, i);
    q.push(rollouts.filter((r) => isCorrect(task, task.extractAnswer(p + r), instance)).length / opts.M);
  }
  return stepLabels(q, opts).map((l, i) => ({
    step: steps[i],
    ...l,
    verdict: verdict(
      l.q,
      l.relEffective ? 'positive' : 'negative',
      `Q̂ = ${l.q.toFixed(2)} (previous ${q[i].toFixed(2)}): Abs-Q ${l.absQ ? '+' : '−'}, Rel-Ratio ${l.relRatio ? '+' : '−'}, Rel-Effective ${l.relEffective ? '+' : '−'}`,
      { q: l.q },
    ),
  }));
}
