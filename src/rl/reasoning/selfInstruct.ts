/**
 * Self-instructed tasks after CoT-Self-Instruct (arXiv 2507.23751): a proposer writes a new problem with its stated
 * answer from two seed instances, under a declared grammar per task, and filters keep the proposals the policy's
 * own samples support. docs/reasoning.md defines the template and the filters.
 *
 * Template, in the task's own alphabet: each record is a prompt followed by its stated answer ("37+45=82"; the
 * prompt ends with '='). The generator sees the two seed records, each closed by '=', and writes one record:
 *   template "12+34=46=23+11=34=" → proposal "15+20=35"
 * The parser checks the proposal against the task's grammar and returns a task instance (with the gold answer the
 * task computes) and the stated answer, or the reason it is rejected.
 */
import type { Rng } from '../../engine/rng';
import { countdown, evalExpression, usesAllowed } from '../tasks/countdown';
import { multiStepInstance } from '../tasks/multiStep';
import type { TaskInstance } from '../tasks/types';
import { majorityVote } from './aggregation';

/** Closes each record of the template and separates a proposal's problem from its stated answer. */
export const RECORD_MARK = '=';

export interface ProposalGrammar {
  /** The task (registry name) whose instances the proposals are. */
  task: string;
  /** The proposal's shape, in words, for the UI. */
  format: string;
  /** The answer a seed shows in the template. */
  seedAnswer(seed: TaskInstance): string;
  /** The scripted proposer: a proposal record drawn from two seeds (a baseline to the policy as proposer). */
  propose(rng: Rng, a: TaskInstance, b: TaskInstance): string;
  /** The instance of a problem (a prompt without its final '='), or why it is not one of the grammar. */
  instance(problem: string, stated: string): TaskInstance | string;
  /** What answer-matching compares: equal keys are the same answer (null: no usable answer). */
  answerKey(answer: string | null, instance: TaskInstance): string | null;
  /**
   * The instance as a proposal's stated answer labels it: its verifier then checks answers against that claim, as
   * training on self-instructed prompts without a gold answer does.
   */
  labelled(instance: TaskInstance, stated: string): TaskInstance;
}

/** Why a proposal is rejected: not one problem=answer record, no stated answer, or outside the task's grammar. */
export const REJECTIONS = ['record', 'no_answer', 'grammar'] as const;
export type Rejection = (typeof REJECTIONS)[number];

export type ParsedProposal = { ok: true; instance: TaskInstance; stated: string } | { ok: false; rejection: Rejection; reason: string };

export interface FilterResult {
  kept: boolean[];
  keptFraction: number;
}

/** The generator's prompt: the two seed records, each closed by RECORD_MARK. */
export function proposalTemplate(grammar: ProposalGrammar, a: TaskInstance, b: TaskInstance): string {
  return [a, b].map((s) => `${s.prompt}${grammar.seedAnswer(s)}${RECORD_MARK}`).join('');
}

/** A proposal record → an instance of the task and the stated answer, or a rejection naming what is wrong. */
export function parseProposal(grammar: ProposalGrammar, text: string): ParsedProposal {
  const record = text.split('\n')[0].trim();
  const parts = record.split(RECORD_MARK);
  if (parts.length !== 2) return { ok: false, rejection: 'record', reason: `"${record}" is not one problem${RECORD_MARK}answer record` };
  const [problem, stated] = parts;
  if (!stated.length) return { ok: false, rejection: 'no_answer', reason: `"${record}" states no answer` };
  const instance = grammar.instance(problem, stated);
  return typeof instance === 'string' ? { ok: false, rejection: 'grammar', reason: instance } : { ok: true, instance, stated };
}

/** Answer-matching: keep a proposal when its stated answer's key equals the majority key of the K policy answers. */
export function answerMatchingFilter(proposals: readonly { statedKey: string | null; answerKeys: readonly (string | null)[] }[]): FilterResult {
  return filterResult(proposals.map((p) => p.statedKey !== null && majorityVote(p.answerKeys).answer === p.statedKey));
}

/** Self-consistency: keep a proposal when the majority answer's share of its K policy answers is ≥ threshold. */
export function selfConsistencyFilter(answerKeys: readonly (readonly (string | null)[])[], threshold: number): FilterResult {
  if (!(threshold > 0 && threshold <= 1)) throw new Error(`self-consistency: threshold must be in (0, 1] (got ${threshold})`);
  return filterResult(
    answerKeys.map((keys) => {
      const vote = majorityVote(keys);
      return vote.answer !== null && vote.share >= threshold;
    }),
  );
}

/**
 * Pass-rate histograms of seed and synthetic prompts over `bins` equal bins of [0, 1] (the last bin holds 1), as
 * fractions of each set, so sets of different sizes compare.
 */
export function difficultyHistogram(
  passRates: { seed: readonly number[]; synthetic: readonly number[] },
  bins: number,
): { binEdges: number[]; seed: number[]; synthetic: number[] } {
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`difficulty histogram: bins must be a positive integer (got ${bins})`);
  const histogram = (rates: readonly number[]) => {
    const counts = new Array<number>(bins).fill(0);
    for (const r of rates) {
      if (!(r >= 0 && r <= 1)) throw new Error(`difficulty histogram: a pass rate must be in [0, 1] (got ${r})`);
      counts[Math.min(bins - 1, Math.floor(r * bins))]++;
    }
    return counts.map((c) => (rates.length ? c / rates.length : 0));
  };
  return { binEdges: Array.from({ length: bins + 1 }, (_, i) => i / bins), seed: histogram(passRates.seed), synthetic: histogram(passRates.synthetic) };
}

function filterResult(kept: boolean[]): FilterResult {
  return { kept, keptFraction: kept.length ? kept.filter(Boolean).length / kept.length : 0 };
}

const MAX_OPERAND_DIGITS = 6;
const canonicalNumber = (s: string) => /^(0|[1-9]\d*)$/.test(s);
const exactKey = (answer: string | null) => answer;

function arithmeticGrammar(op: '+' | '*'): ProposalGrammar {
  const task = op === '+' ? 'addition' : 'multiplication';
  const operands = (inst: TaskInstance) => inst.prompt.slice(0, -1).split(op);
  const record = (x: string, y: string) => `${x}${op}${y}${RECORD_MARK}${String(op === '+' ? Number(x) + Number(y) : Number(x) * Number(y))}`;
  return {
    task,
    format: `a${op}b${RECORD_MARK}answer, a and b of 1–${MAX_OPERAND_DIGITS} digits without leading zeros`,
    seedAnswer: (s) => s.answer,
    // Cross the seeds: one operand from each, which seed leads drawn at random.
    propose(rng, a, b) {
      const [first, second] = rng.int(2) ? [b, a] : [a, b];
      return record(operands(first)[0], operands(second)[1]);
    },
    instance(problem) {
      const xs = problem.split(op);
      if (xs.length !== 2 || !xs.every((x) => canonicalNumber(x) && x.length <= MAX_OPERAND_DIGITS)) {
        return `"${problem}" is not two numbers of 1–${MAX_OPERAND_DIGITS} digits joined by "${op}"`;
      }
      const answer = record(xs[0], xs[1]).split(RECORD_MARK)[1];
      return { prompt: `${problem}=`, answer, demonstration: answer };
    },
    answerKey: exactKey,
    labelled: (instance, stated) => ({ ...instance, answer: stated, demonstration: stated }),
  };
}

const MAX_STEPS = 6;
const multiStepGrammar: ProposalGrammar = {
  task: 'multi-step',
  format: `digits 1–9 joined by 1–${MAX_STEPS} of + - *${RECORD_MARK}answer (solved left to right)`,
  seedAnswer: (s) => s.answer,
  // The head of one seed (its first operand) with the operations and operands of the other.
  propose(rng, a, b) {
    const [head, tail] = rng.int(2) ? [b, a] : [a, b];
    const problem = head.prompt[0] + tail.prompt.slice(1, -1);
    return `${problem}${RECORD_MARK}${multiStepInstance(`${problem}=`).answer}`;
  },
  instance(problem) {
    if (!/^[1-9]([+\-*][1-9])+$/.test(problem) || (problem.length - 1) / 2 > MAX_STEPS) {
      return `"${problem}" is not 2–${MAX_STEPS + 1} digits 1–9 joined by + - *`;
    }
    return multiStepInstance(`${problem}=`);
  },
  answerKey: exactKey,
  // The worked steps stay the gold ones: only the final answer is the proposer's claim.
  labelled: (instance, stated) => ({ ...instance, answer: stated }),
};

const COUNTDOWN_NUMBERS = { min: 2, max: 5, largest: 50 };
const countdownGrammar: ProposalGrammar = {
  task: 'countdown',
  format: `n1,n2,…>target${RECORD_MARK}expression, ${COUNTDOWN_NUMBERS.min}–${COUNTDOWN_NUMBERS.max} numbers 1–${COUNTDOWN_NUMBERS.largest}, the expression reaching the target`,
  seedAnswer: (s) => s.demonstration,
  // One seed's numbers with one swapped for a number of the other; the target is a random expression's value.
  propose(rng, a, b) {
    const numbersOf = (s: TaskInstance) => s.prompt.split('>')[0].split(',');
    const numbers = numbersOf(a);
    const donor = numbersOf(b);
    numbers[rng.int(numbers.length)] = donor[rng.int(donor.length)];
    const order = rng.permutation(numbers.length);
    const expression = order.map((i, j) => (j ? '+-*'[rng.int(3)] : '') + numbers[i]).join('');
    return `${numbers.join(',')}>${evalExpression(expression).value}${RECORD_MARK}${expression}`;
  },
  instance(problem, stated) {
    const m = /^(\d+(?:,\d+)*)>(-?\d+)$/.exec(problem);
    const numbers = m ? m[1].split(',') : [];
    const { min, max, largest } = COUNTDOWN_NUMBERS;
    if (!m || numbers.length < min || numbers.length > max || !numbers.every((n) => canonicalNumber(n) && Number(n) >= 1 && Number(n) <= largest)) {
      return `"${problem}" is not ${min}–${max} numbers 1–${largest} separated by "," then ">" and a target`;
    }
    const instance = { prompt: `${problem}=`, answer: String(Number(m[2])), demonstration: stated };
    const verdict = countdown.verify(stated, instance);
    return verdict.score === 1 ? instance : `the stated solution does not solve "${problem}": ${verdict.rationale}`;
  },
  // Expressions compare by value, and only when they use the given numbers (a countdown has many solutions).
  answerKey(answer, instance) {
    if (answer === null) return null;
    const given = instance.prompt.split('>')[0].split(',').map(Number);
    try {
      const { value, numbers } = evalExpression(answer);
      return usesAllowed(numbers, given) ? String(value) : null;
    } catch {
      return null;
    }
  },
  // A parsed countdown proposal's stated solution reaches its target, and any solution is verified as right.
  labelled: (instance) => instance,
};

/** The declared proposal grammar of each task that has one, by task name. */
export const PROPOSAL_GRAMMARS: Readonly<Record<string, ProposalGrammar>> = {
  addition: arithmeticGrammar('+'),
  multiplication: arithmeticGrammar('*'),
  'multi-step': multiStepGrammar,
  countdown: countdownGrammar,
};

export function proposalGrammar(task: string): ProposalGrammar {
  const grammar = PROPOSAL_GRAMMARS[task];
  if (!grammar) throw new Error(`self-instruct: task "${task}" declares no proposal grammar (have: ${Object.keys(PROPOSAL_GRAMMARS).join(', ')})`);
  return grammar;
}
