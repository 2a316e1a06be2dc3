/**
 * The kept set of a self-instruct run as a file, and as a task GRPO can train on. The file lists each kept
 * proposal as its prompt, the gold answer the task computes, the proposer's stated answer and the policy's pass
 * rate when it was kept. Reading one back checks it with zod and then against the task's own grammar, so a file
 * with a wrong gold answer or a prompt outside the grammar is refused with the instance and the reason.
 */
import * as z from 'zod';
import type { Rng } from '../../engine/rng';
import { intIn, numIn, options, pathText, problemsOf, show } from '../../model/validation';
import { parseProposal, proposalGrammar, RECORD_MARK } from '../reasoning/selfInstruct';
import { getTask, TASKS } from '../tasks/registry';
import type { Task, TaskInstance } from '../tasks/types';
import { FILTERS, LABELS, PROPOSERS, type SelfInstructLabel } from './config';

export const KEPT_SET_FORMAT = 'grpo-playground/self-instruct-set';
export const KEPT_SET_VERSION = 1;

/** A kept proposal: an instance of the task plus what the round measured of it. */
export interface KeptProposal extends TaskInstance {
  /** The answer the proposer stated with the problem. */
  stated: string;
  /** The policy's pass rate on it (share of K answers correct) when it was kept. */
  passRate: number;
}

export interface KeptSet {
  format: typeof KEPT_SET_FORMAT;
  version: typeof KEPT_SET_VERSION;
  task: string;
  proposer: (typeof PROPOSERS)[number];
  filter: (typeof FILTERS)[number];
  /** What a run trained on this set rewards answers against (the stated answers, or the task's gold). */
  label: SelfInstructLabel;
  /** The run's seed and iterations it was kept over (for the record). */
  seed: number;
  iterations: number;
  instances: KeptProposal[];
}

/** Bounds of a file: instances, characters of a prompt or answer. */
export const KEPT_SET_LIMITS = { instances: 100_000, chars: 512, fileChars: 50_000_000 } as const;

const field = z.string({ error: (iss) => `must be text (got ${show(iss.input)})` }).max(KEPT_SET_LIMITS.chars, `must be at most ${KEPT_SET_LIMITS.chars} characters`);

const KeptProposalSchema = options({
  prompt: field.min(1, 'must not be empty'),
  answer: field,
  demonstration: field,
  stated: field.min(1, 'must not be empty'),
  passRate: numIn(0, 1),
});

const TASK_NAMES = TASKS.map((t) => t.name) as [string, ...string[]];

const KeptSetSchema = options({
  format: z.literal(KEPT_SET_FORMAT, { error: (iss) => `must be "${KEPT_SET_FORMAT}" (got ${show(iss.input)}): not a self-instruct set` }),
  version: z.literal(KEPT_SET_VERSION, { error: (iss) => `must be ${KEPT_SET_VERSION} (got ${show(iss.input)})` }),
  task: z.enum(TASK_NAMES, { error: (iss) => `unknown task ${show(iss.input)}` }),
  proposer: z.enum(PROPOSERS, { error: (iss) => `must be one of ${PROPOSERS.join(', ')} (got ${show(iss.input)})` }),
  filter: z.enum(FILTERS, { error: (iss) => `must be one of ${FILTERS.join(', ')} (got ${show(iss.input)})` }),
  label: z.enum(LABELS, { error: (iss) => `must be one of ${LABELS.join(', ')} (got ${show(iss.input)})` }),
  seed: intIn(0, 2 ** 32 - 1),
  iterations: intIn(0, Number.MAX_SAFE_INTEGER),
  instances: z
    .array(KeptProposalSchema, { error: (iss) => `must be a list of kept proposals (got ${show(iss.input)})` })
    .min(1, 'must hold at least one kept proposal')
    .max(KEPT_SET_LIMITS.instances, `must hold at most ${KEPT_SET_LIMITS.instances} proposals`),
});

/** The kept set as a file's JSON text. */
export function keptSetJson(set: KeptSet): string {
  return `${JSON.stringify(set, null, 1)}\n`;
}

/**
 * A kept set from a file's text (or parsed JSON): throws listing every problem with where it is, e.g.
 * `instances[3].answer: "36" is not the answer of "15+20=" (the task computes "35")`.
 */
export function parseKeptSet(input: string | unknown): KeptSet {
  let raw = input;
  if (typeof input === 'string') {
    if (input.length > KEPT_SET_LIMITS.fileChars) throw new Error(`self-instruct set is ${input.length} characters, more than ${KEPT_SET_LIMITS.fileChars}`);
    try {
      raw = JSON.parse(input);
    } catch (e) {
      throw new Error(`self-instruct set is not valid JSON (${(e as Error).message})`);
    }
  }
  const parsed = KeptSetSchema.safeParse(raw);
  const problems = problemsOf(parsed);
  if (!parsed.success) throw new Error(`invalid self-instruct set:\n- ${problems.join('\n- ')}`);
  const set = parsed.data as KeptSet;
  const grammarProblems = set.instances.flatMap((inst, i) => instanceProblems(set.task, inst).map((p) => `${pathText(['instances', i])}${p}`));
  if (grammarProblems.length) throw new Error(`invalid self-instruct set:\n- ${grammarProblems.slice(0, 20).join('\n- ')}${grammarProblems.length > 20 ? `\n- … and ${grammarProblems.length - 20} more` : ''}`);
  return set;
}

/** What is wrong with one instance of a set for this task, each as ".field: reason" (empty when it is sound). */
function instanceProblems(taskName: string, inst: KeptProposal): string[] {
  const task = getTask(taskName);
  const outside = [...new Set([...inst.prompt, ...inst.demonstration].filter((ch) => !task.alphabet.includes(ch)))];
  if (outside.length) return [`: ${outside.map((c) => JSON.stringify(c)).join(', ')} outside the ${taskName} alphabet "${task.alphabet}"`];
  if (!inst.prompt.endsWith(RECORD_MARK)) return [`.prompt: ${JSON.stringify(inst.prompt)} does not end with "${RECORD_MARK}"`];
  const problem = inst.prompt.slice(0, -1);
  const reread = parseProposal(proposalGrammar(taskName), `${problem}${RECORD_MARK}${inst.stated}`);
  if (!reread.ok) return [`.prompt: ${reread.reason}`];
  const out: string[] = [];
  if (reread.instance.answer !== inst.answer) out.push(`.answer: ${show(inst.answer)} is not the answer of ${show(inst.prompt)} (the task computes ${show(reread.instance.answer)})`);
  if (!task.verify(task.extractAnswer(inst.demonstration), reread.instance).score) out.push(`.demonstration: ${show(inst.demonstration)} does not solve ${show(inst.prompt)}`);
  return out;
}

/**
 * A task whose prompts are drawn uniformly (seeded) from a list that may change between draws (a growing kept
 * set), answered and verified as the base task does. Held-out evaluation keeps using the base task.
 */
export function instancesTask(base: Task, instances: () => readonly TaskInstance[], title = `${base.title} (kept set)`): Task {
  return {
    ...base,
    title,
    description: `${base.description} Prompts from a fixed list of instances.`,
    knobs: [],
    generate(rng: Rng) {
      const list = instances();
      if (!list.length) throw new Error(`${title}: the list of instances is empty`);
      return list[rng.int(list.length)];
    },
  };
}

/** The instances GRPO trains on from kept proposals: labelled with their stated answers, or with the gold ones. */
export function trainingInstances(task: string, kept: readonly KeptProposal[], label: SelfInstructLabel): TaskInstance[] {
  const grammar = proposalGrammar(task);
  return kept.map(({ prompt, answer, demonstration, stated }) => (label === 'stated' ? grammar.labelled({ prompt, answer, demonstration }, stated) : { prompt, answer, demonstration }));
}

/** A saved kept set as the task a run trains on (its task must be the run's), labelled as the set says. */
export function keptSetTask(set: KeptSet, runTask: string): Task {
  if (set.task !== runTask) throw new Error(`the self-instruct set holds ${set.task} instances, but the run's task is ${runTask}`);
  const instances = trainingInstances(set.task, set.instances, set.label);
  return instancesTask(getTask(set.task), () => instances);
}
