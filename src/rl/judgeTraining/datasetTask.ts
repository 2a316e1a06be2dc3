/**
 * A task backed by a fixed list of instances: `generate` draws one uniformly (seeded), so a judge can be
 * trained with the same GRPO machinery as the policy on instances built from the policy's own answers.
 * Every instance is checked against the task's alphabet when the task is built, so a character the judge's
 * tokenizer cannot read is named up front rather than failing mid-step.
 */
import type { Rng } from '../../engine/rng';
import { verdict, type Verdict } from '../judges/verdict';
import type { Task, TaskInstance } from '../tasks/types';

export interface DatasetTaskSpec<I extends TaskInstance> {
  name: string;
  title: string;
  description: string;
  alphabet: string;
  instances: readonly I[];
  extractAnswer(completion: string): string | null;
  verify(answer: string | null, instance: I): Verdict;
}

export interface DatasetTask<I extends TaskInstance> extends Task {
  readonly instances: readonly I[];
  generate(rng: Rng): I;
}

export function datasetTask<I extends TaskInstance>(spec: DatasetTaskSpec<I>): DatasetTask<I> {
  if (spec.instances.length === 0) throw new Error(`${spec.name}: a dataset task needs at least one instance`);
  const known = new Set(spec.alphabet);
  spec.instances.forEach((inst, i) => {
    for (const field of ['prompt', 'demonstration'] as const) {
      const bad = [...inst[field]].find((ch) => !known.has(ch));
      if (bad !== undefined) throw new Error(`${spec.name}: instance ${i} has ${JSON.stringify(bad)} in its ${field}, outside the alphabet "${spec.alphabet}"`);
    }
  });
  const instances = [...spec.instances];
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    alphabet: spec.alphabet,
    knobs: [],
    instances,
    generate: (rng) => instances[rng.int(instances.length)],
    extractAnswer: spec.extractAnswer,
    verify: (answer, instance) => spec.verify(answer, instance as I),
  };
}

export interface JudgeTaskSpec<I extends TaskInstance> extends Omit<DatasetTaskSpec<I>, 'alphabet' | 'verify'> {
  /** The characters the judge format adds to the policy's alphabet; none may already be in it. */
  markers: string;
  policyAlphabet: string;
  /** Why an output without a readable verdict scores 0. */
  malformed: string;
  /** What an extracted verdict means for this instance (shown with its score). */
  explain(answer: string, instance: I): string;
}

/** A judge's task: the policy's alphabet plus the format's markers; score 1 when the verdict is the instance's answer. */
export function judgeTask<I extends TaskInstance>(spec: JudgeTaskSpec<I>): DatasetTask<I> {
  assertMarkersFree(spec.title, spec.markers, spec.policyAlphabet);
  return datasetTask({
    ...spec,
    alphabet: judgeAlphabet(spec.markers, spec.policyAlphabet),
    verify(answer, inst) {
      if (answer === null) return verdict(0, 'malformed', spec.malformed);
      const right = answer === inst.answer;
      return verdict(right ? 1 : 0, right ? 'correct' : 'wrong', spec.explain(answer, inst));
    },
  });
}

/** A judge format's alphabet: the policy's characters, then the format's markers. */
export function judgeAlphabet(markers: string, policyAlphabet: string): string {
  return mergeAlphabets(policyAlphabet, markers);
}

/** The union of several alphabets, each character once, in first-seen order. */
function mergeAlphabets(...alphabets: string[]): string {
  return [...new Set(alphabets.flatMap((a) => [...a]))].join('');
}

/** Throws naming the markers of a judge format that also occur in the policy's alphabet (they would be ambiguous). */
function assertMarkersFree(format: string, markers: string, policyAlphabet: string): void {
  const clash = [...markers].filter((ch) => policyAlphabet.includes(ch));
  if (clash.length) throw new Error(`${format}: the policy's alphabet already uses ${clash.map((c) => JSON.stringify(c)).join(', ')}, which this judge format reserves`);
}
