/** The task contract: a seeded generator of verifiable problems with an answer extractor and demonstrations. */
import type { Rng } from '../../engine/rng';
import { exactMatchVerdict } from '../judges/rules';
import type { Verdict } from '../judges/verdict';

export interface TaskInstance {
  /** What the policy sees (ends with the task's prompt terminator). */
  prompt: string;
  /** The gold answer in canonical form. */
  answer: string;
  /** A correct completion for SFT warm-start (without EOS). */
  demonstration: string;
  /** Which split of a task with an easy/hard mix the instance comes from (metrics are reported per split). */
  split?: TaskSplit;
}

export type TaskSplit = 'easy' | 'hard';

export interface DifficultyKnob {
  name: string;
  label: string;
  min: number;
  max: number;
  default: number;
}

export interface Task {
  name: string;
  title: string;
  description: string;
  /** Every character prompts and completions may contain (the tokenizer's alphabet). */
  alphabet: string;
  knobs: DifficultyKnob[];
  generate(rng: Rng, difficulty: Readonly<Record<string, number>>): TaskInstance;
  /** The answer part of a completion, or null when none can be found. */
  extractAnswer(completion: string): string | null;
  /** The task's rule verifier: score 1 when the extracted answer is correct, with the reason. */
  verify(answer: string | null, instance: TaskInstance): Verdict;
}

export function isCorrect(task: Task, answer: string | null, instance: TaskInstance): boolean {
  return task.verify(answer, instance).score === 1;
}

/** Difficulty values with defaults filled in and range errors named. */
export function resolveDifficulty(task: Task, given: Readonly<Record<string, number>> = {}): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of task.knobs) {
    const v = given[k.name] ?? k.default;
    if (!Number.isInteger(v) || v < k.min || v > k.max) {
      throw new Error(`${task.name}: ${k.label} must be an integer in [${k.min}, ${k.max}] (got ${v})`);
    }
    out[k.name] = v;
  }
  const unknown = Object.keys(given).filter((n) => !task.knobs.some((k) => k.name === n));
  if (unknown.length) throw new Error(`${task.name}: unknown difficulty setting ${unknown.join(', ')}`);
  return out;
}

/** Exact-match verification, the default for tasks with a single canonical answer. */
export function exactMatch(answer: string | null, instance: TaskInstance): Verdict {
  return exactMatchVerdict(answer, instance.answer);
}

/** The completion up to the first newline, trimmed: the answer of single-line tasks. */
export function firstLine(completion: string): string | null {
  const line = completion.split('\n')[0].trim();
  return line.length ? line : null;
}
