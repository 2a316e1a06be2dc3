/**
 * J1 pairwise judge data (Whitehouse et al., arXiv 2505.10320; docs/judges.md "J1 pairwise judge"). Judging
 * becomes a verifiable task: from a policy's sampled answers to a prompt whose gold answer is known, a correct
 * answer and an incorrect one form a pair, and the judge must say which is correct. Every pair is shown in both
 * orders, and both orders go into the same batch, so position bias shows up inside one update.
 *
 * Formats (compact for a judge context of ~48–64 characters; the markers are in no task's alphabet):
 *   prompt   `${problem}A${answerA}B${answerB}|`           e.g. "37+45=A82B83|"
 *   output   `${reasoning}[[A]]` or `${reasoning}[[B]]`    e.g. "82[[A]]"
 * The demonstration's reasoning is the judge solving the problem itself (the gold answer, computed from the
 * problem text the judge sees, never given to it), then naming the answer that agrees with it: both can be
 * learnt from the prompt alone (docs/judges.md gives what a tiny judge reached with it, and a variant we dropped).
 */
import type { Rng } from '../../engine/rng';
import { verdict, type Verdict } from '../judges/verdict';
import type { TaskInstance } from '../tasks/types';
import { judgeAlphabet, judgeTask, type DatasetTask } from './datasetTask';

export type Letter = 'A' | 'B';
export type Order = 'ab' | 'ba';

/** Characters the J1 format reserves: they must not occur in the policy's alphabet. */
export const J1_MARKERS = 'AB|[]';

/** One sampled answer of the policy and whether the task's verifier accepted it. */
export interface PolicyAnswer {
  completion: string;
  correct: boolean;
}

/** The policy's answers to one prompt. */
export interface PolicyGroup {
  problem: string;
  /** The gold answer in canonical form (what the demonstration's reasoning writes). */
  gold: string;
  answers: PolicyAnswer[];
}

/** A correct and an incorrect answer of one prompt, as (a, b); `correct` says which of the two is right. */
export interface JudgePair {
  id: number;
  problem: string;
  gold: string;
  a: string;
  b: string;
  correct: Letter;
}

export interface J1Instance extends TaskInstance {
  pairId: number;
  order: Order;
  /** The correct verdict letter in this order. */
  answer: Letter;
}

export interface PairBuild {
  pairs: JudgePair[];
  /** Prompts with only correct or only incorrect answers: no pair can be formed. */
  skippedOneKind: number;
  /** Pairs whose judge prompt is longer than maxPromptChars. */
  skippedTooLong: number;
}

export interface PairOptions {
  /** Pairs drawn per prompt (distinct correct × incorrect combinations, at most all of them). */
  pairsPerPrompt: number;
  /** The longest judge prompt kept, in characters (the judge's context minus its output budget). */
  maxPromptChars: number;
}

export function otherLetter(letter: Letter): Letter {
  return letter === 'A' ? 'B' : 'A';
}

export function j1Prompt(problem: string, first: string, second: string): string {
  return `${problem}A${first}B${second}|`;
}

/** The demonstration: the judge's own result, then the verdict. */
export function j1Demonstration(gold: string, answer: Letter): string {
  return `${gold}[[${answer}]]`;
}

/**
 * Pairs from the policy's answers: per prompt, up to `pairsPerPrompt` distinct (correct, incorrect)
 * combinations drawn at random; which of the two is shown as `a` is drawn too, so neither position is the
 * correct one by construction. Ids count from `firstId`.
 */
export function buildJudgePairs(groups: readonly PolicyGroup[], rng: Rng, opts: PairOptions, firstId = 0): PairBuild {
  const out: PairBuild = { pairs: [], skippedOneKind: 0, skippedTooLong: 0 };
  for (const g of groups) {
    const good = g.answers.filter((x) => x.correct);
    const bad = g.answers.filter((x) => !x.correct);
    if (!good.length || !bad.length) {
      out.skippedOneKind++;
      continue;
    }
    const combos = rng.permutation(good.length * bad.length).slice(0, opts.pairsPerPrompt);
    for (const c of combos) {
      const pair = placePair(g, good[Math.floor(c / bad.length)].completion, bad[c % bad.length].completion, rng.uniform() < 0.5, opts.maxPromptChars);
      if (pair) out.pairs.push({ id: firstId + out.pairs.length, ...pair });
      else out.skippedTooLong++;
    }
  }
  return out;
}

/** A pair with the chosen answer at the given position, or null when its judge prompt is too long. */
export function placePair(g: Pick<PolicyGroup, 'problem' | 'gold'>, chosen: string, rejected: string, chosenFirst: boolean, maxPromptChars: number): Omit<JudgePair, 'id'> | null {
  const [a, b] = chosenFirst ? [chosen, rejected] : [rejected, chosen];
  if (j1Prompt(g.problem, a, b).length > maxPromptChars) return null;
  return { problem: g.problem, gold: g.gold, a, b, correct: chosenFirst ? 'A' : 'B' };
}

/** The two judge instances of a pair: order 'ab' shows (a, b), order 'ba' shows (b, a). */
export function bothOrders(pair: JudgePair): [J1Instance, J1Instance] {
  const make = (order: Order): J1Instance => {
    const answer = order === 'ab' ? pair.correct : otherLetter(pair.correct);
    const [first, second] = order === 'ab' ? [pair.a, pair.b] : [pair.b, pair.a];
    return { prompt: j1Prompt(pair.problem, first, second), answer, demonstration: j1Demonstration(pair.gold, answer), pairId: pair.id, order };
  };
  return [make('ab'), make('ba')];
}

/**
 * One judge batch: `pairsPerBatch` distinct pairs drawn at random, each as its two orders side by side
 * ([p ab, p ba, q ab, q ba, …]), so both orders of a pair are always trained on together.
 */
export function j1Batch(pairs: readonly JudgePair[], rng: Rng, pairsPerBatch: number): J1Instance[] {
  if (!Number.isInteger(pairsPerBatch) || pairsPerBatch < 1 || pairsPerBatch > pairs.length) {
    throw new Error(`J1 batch: pairs per batch must be an integer in [1, ${pairs.length}] (got ${pairsPerBatch})`);
  }
  return rng.permutation(pairs.length).slice(0, pairsPerBatch).flatMap((i) => bothOrders(pairs[i]));
}

/** The verdict at the end of a judge output: exactly one `[[A]]`/`[[B]]`, and nothing after it. */
export function parseJ1Verdict(output: string): ParsedVerdict<Letter> {
  return parseBracketVerdict(output, ['A', 'B']);
}

export type ParsedVerdict<L extends string> = { letter: L; reasoning: string } | { letter: null; reason: string };

/** A `[[X]]` verdict (X one of `letters`) that ends the output and is the only one in it. */
export function parseBracketVerdict<L extends string>(output: string, letters: readonly L[]): ParsedVerdict<L> {
  const found = [...output.matchAll(/\[\[(.)\]\]/g)].filter((m) => (letters as readonly string[]).includes(m[1]));
  const names = letters.map((l) => `[[${l}]]`).join(' or ');
  if (found.length === 0) return { letter: null, reason: `no ${names} verdict` };
  if (found.length > 1) return { letter: null, reason: `${found.length} verdicts where one was expected` };
  const m = found[0];
  const end = m.index + m[0].length;
  if (end !== output.length) return { letter: null, reason: `text after the verdict: "${output.slice(end)}"` };
  return { letter: m[1] as L, reasoning: output.slice(0, m.index) };
}

/** Verdict correctness: 1 when the judge names the correct answer's position, 0 otherwise (malformed says why). */
export function j1Verdict(output: string, instance: J1Instance): Verdict {
  const parsed = parseJ1Verdict(output);
  if (parsed.letter === null) return verdict(0, 'malformed', parsed.reason);
  return parsed.letter === instance.answer
    ? verdict(1, 'correct', `picked ${parsed.letter}, the correct answer in order ${instance.order}`)
    : verdict(0, 'wrong', `picked ${parsed.letter}; the correct answer in order ${instance.order} is ${instance.answer}`);
}

/** The J1 judge's alphabet for a policy alphabet (what j1Task's tokenizer reads). */
export function j1Alphabet(policyAlphabet: string): string {
  return judgeAlphabet(J1_MARKERS, policyAlphabet);
}

/** The judge's task over a fixed list of J1 instances (train it in batches from j1Batch to keep orders together). */
export function j1Task(policyAlphabet: string, instances: readonly J1Instance[]): DatasetTask<J1Instance> {
  return judgeTask({
    name: 'j1-judge',
    title: 'J1 pairwise judge',
    description: 'Which of two policy answers is correct? Reason, then [[A]] or [[B]]; both orders of each pair are judged.',
    markers: J1_MARKERS,
    policyAlphabet,
    instances,
    extractAnswer: (c) => parseJ1Verdict(c).letter,
    malformed: 'no single [[A]] or [[B]] verdict at the end',
    explain: (answer, inst) => `picked ${answer}; the correct answer in order ${inst.order} is ${inst.answer}`,
  });
}

/** The verdicts of one pair's rollouts: rollout k of order ab is paired with rollout k of order ba. */
export interface PairVerdicts {
  /** The correct letter in order ab (the other letter is correct in order ba). */
  correctAB: Letter;
  ab: ReadonlyArray<Letter | null>;
  ba: ReadonlyArray<Letter | null>;
}

/** J1's consistency reward for rollout pair k: 1 (given to both rollouts) only when both orders are right. */
export function consistencyRewards(p: PairVerdicts): number[] {
  if (p.ab.length !== p.ba.length) throw new Error(`J1 consistency: order ab has ${p.ab.length} rollouts, order ba ${p.ba.length}; they are paired one to one`);
  const correctBA = otherLetter(p.correctAB);
  return p.ab.map((v, k) => (v === p.correctAB && p.ba[k] === correctBA ? 1 : 0));
}

/** Gathers a batch's verdicts by pair; `verdicts[i]` are the rollouts' letters for `batch[i]`. */
export function verdictsByPair(batch: readonly J1Instance[], verdicts: ReadonlyArray<ReadonlyArray<Letter | null>>): PairVerdicts[] {
  if (batch.length !== verdicts.length) throw new Error(`J1: ${batch.length} instances but ${verdicts.length} verdict groups`);
  const byId = new Map<number, { ab?: ReadonlyArray<Letter | null>; ba?: ReadonlyArray<Letter | null>; correctAB?: Letter }>();
  batch.forEach((inst, i) => {
    const entry = byId.get(inst.pairId) ?? {};
    if (entry[inst.order]) throw new Error(`J1: pair ${inst.pairId} has order ${inst.order} twice in the batch`);
    entry[inst.order] = verdicts[i];
    entry.correctAB = inst.order === 'ab' ? inst.answer : otherLetter(inst.answer);
    byId.set(inst.pairId, entry);
  });
  return [...byId].map(([id, e]) => {
    if (!e.ab || !e.ba || !e.correctAB) throw new Error(`J1: pair ${id} has only one order in the batch`);
    return { correctAB: e.correctAB, ab: e.ab, ba: e.ba };
  });
}

export interface J1Metrics {
  /** Fraction of order-ab rollouts with the correct verdict. */
  accuracyAB: number;
  accuracyBA: number;
  /** Fraction of rollout pairs right in both orders. */
  consistentAccuracy: number;
  /** Fraction of rollout pairs where the judge picks the same position (letter) in both orders. */
  flipRate: number;
  /** Fraction of all verdicts that could not be read. */
  malformedRate: number;
  rolloutPairs: number;
}

export function j1Metrics(pairs: readonly PairVerdicts[]): J1Metrics {
  let n = 0, rightAB = 0, rightBA = 0, both = 0, flips = 0, malformed = 0;
  for (const p of pairs) {
    const consistent = consistencyRewards(p);
    p.ab.forEach((v, k) => {
      const w = p.ba[k];
      n++;
      rightAB += v === p.correctAB ? 1 : 0;
      rightBA += w === otherLetter(p.correctAB) ? 1 : 0;
      both += consistent[k];
      flips += v !== null && v === w ? 1 : 0;
      malformed += (v === null ? 1 : 0) + (w === null ? 1 : 0);
    });
  }
  const frac = (x: number, d: number) => (d ? x / d : 0);
  return {
    accuracyAB: frac(rightAB, n),
    accuracyBA: frac(rightBA, n),
    consistentAccuracy: frac(both, n),
    flipRate: frac(flips, n),
    malformedRate: frac(malformed, 2 * n),
    rolloutPairs: n,
  };
}
