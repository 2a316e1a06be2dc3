/**
 * Warm-start demonstrations that teach the policy to read aggregation prompts (docs/reasoning.md, "Aggregation
 * training"). The warm-start of an aggregation run draws from the task wrapped here: a share of its instances become
 * aggregation prompts whose candidates hold the correct answer 1 to m times among near misses, with the correct
 * answer as the demonstration. So the policy starts out both solving problems and picking (or writing) the right
 * answer given a pool; RL then trains both roles on its own pools.
 */
import type { Rng } from '../../engine/rng';
import { aggregationPrompt } from '../reasoning/aggregation';
import { isCorrect, type Task, type TaskInstance } from '../tasks/types';
import type { AggregationConfig } from './config';

/** Redraws of a near miss before a slot falls back to another instance's answer. */
const NEAR_MISS_ATTEMPTS = 4;

/** The task whose instances are, with probability warm_start_share, aggregation demonstrations. */
export function withAggregationDemonstrations(task: Task, cfg: AggregationConfig): Task {
  return {
    ...task,
    generate(rng, difficulty) {
      const instance = task.generate(rng, difficulty);
      if (rng.uniform() >= cfg.warm_start_share) return instance;
      return aggregationDemonstration(instance, syntheticPool(task, instance, cfg.pool_size, rng, difficulty));
    },
  };
}

/** The instance asked through an aggregation prompt over `candidates`; the demonstration is still the correct answer. */
export function aggregationDemonstration(instance: TaskInstance, candidates: readonly (string | null)[]): TaskInstance {
  return { ...instance, prompt: aggregationPrompt(instance.prompt, candidates) };
}

/**
 * m candidates, of which 1 to m (uniformly) are the correct answer and the others near misses, in random order. A
 * pool always contains the answer, so the demonstrations show aggregation up to its ceiling and never beyond it.
 */
export function syntheticPool(task: Task, instance: TaskInstance, m: number, rng: Rng, difficulty: Readonly<Record<string, number>>): (string | null)[] {
  const correct = 1 + rng.int(m);
  const pool = Array.from({ length: m }, (_, i) => (i < correct ? instance.answer : nearMiss(task, instance, rng, difficulty)));
  return rng.permutation(m).map((i) => pool[i]);
}

/**
 * A wrong answer that looks like the right one, as a sampled mistake does: one digit of the answer changed to another
 * digit of the task's alphabet (a digit that leads a number of several digits never becomes 0). Answers without
 * digits, or whose changes all happen to be correct, take another instance's answer; when that is correct too, the
 * slot stays empty.
 */
export function nearMiss(task: Task, instance: TaskInstance, rng: Rng, difficulty: Readonly<Record<string, number>>): string | null {
  const gold = instance.answer;
  const digits = [...gold].flatMap((c, i) => (isDigit(c) ? [i] : []));
  for (let attempt = 0; attempt < NEAR_MISS_ATTEMPTS && digits.length; attempt++) {
    const at = digits[rng.int(digits.length)];
    const leads = !isDigit(gold[at - 1] ?? '') && isDigit(gold[at + 1] ?? '');
    const options = [...task.alphabet].filter((d) => isDigit(d) && d !== gold[at] && !(leads && d === '0'));
    if (!options.length) break;
    const wrong = gold.slice(0, at) + options[rng.int(options.length)] + gold.slice(at + 1);
    if (!isCorrect(task, wrong, instance)) return wrong;
  }
  const other = task.generate(rng, difficulty).answer;
  return isCorrect(task, other, instance) ? null : other;
}

const isDigit = (c: string) => c >= '0' && c <= '9';
