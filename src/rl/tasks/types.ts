/** The task contract: a seeded generator of verifiable problems with an answer extractor and demonstrations. */
import type { Rng } from '../../engine/rng';

export interface TaskInstance {
  /** What the policy sees (ends with the task's prompt terminator). */
  prompt: string;
  /** The gold answer in canonical form. */
  answer: string;
  /** A correct completion for SFT warm-start (without EOS). */
  demonstration: string;
}

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
  /** Whether an extracted answer is correct for the instance (the rule verifier of the task). */
  isCorrect(answer: string | null, instance: TaskInstance): boolean;
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

/** Exact-match correctness, the default for tasks with a single canonical answer. */
export function exactMatch(answer: string | null, instance: TaskInstance): boolean {
  return answer !== null && answer === instance.answer;
}

/** The completion up to the first newline, trimmed: the answer of single-line tasks. */
export function firstLine(completion: string): string | null {
  const line = completion.split('\n')[0].trim();
  return line.length ? line : null;
}
