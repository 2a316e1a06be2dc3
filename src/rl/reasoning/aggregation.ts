/**
 * Test-time aggregation (Principia/ParaGator, arXiv 2603.18886): the policy samples m candidates, then, given an
 * aggregation prompt that lists their answers after the problem, writes the final answer. docs/reasoning.md.
 *
 * Aggregation prompt, in the task's own alphabet: the problem's prompt, then each candidate's extracted answer
 * followed by the prompt's terminator (its last character, e.g. '='). A candidate with no answer leaves its slot
 * empty. "37+45=" with candidates 82, 81, none → "37+45=82=81==".
 * The baselines are a majority vote over the answers and an equivalence-aware vote, which clusters answers that a
 * checker deems equal (polynomials by exact normal form) before voting; the ceiling is the pool's pass@k.
 */
import { parsePoly, polyEquals } from '../judges/polynomial';
import { passAtK } from './passAtK';

export interface AggregationPrompt {
  problem: string;
  candidates: (string | null)[];
}

export interface Vote {
  /** The winning answer (the first-seen member of the largest cluster), null when no candidate has an answer. */
  answer: string | null;
  /** Votes for it, and their share of all candidates (those without an answer included). */
  count: number;
  share: number;
}

/** The aggregation prompt for a problem's prompt and its candidates' extracted answers. */
export function aggregationPrompt(problem: string, candidates: readonly (string | null)[]): string {
  const terminator = problem.slice(-1);
  if (!terminator || problem.indexOf(terminator) !== problem.length - 1) {
    throw new Error(`aggregation prompt: the problem "${problem}" must end with a terminator that occurs nowhere else in it`);
  }
  if (!candidates.length) throw new Error('aggregation prompt: no candidates');
  const bad = candidates.findIndex((c) => c !== null && c.includes(terminator));
  if (bad >= 0) throw new Error(`aggregation prompt: candidate ${bad} "${candidates[bad]}" contains the terminator "${terminator}"`);
  return problem + candidates.map((c) => `${c ?? ''}${terminator}`).join('');
}

/** The problem and the candidates of an aggregation prompt (an empty slot is a candidate without an answer). */
export function parseAggregationPrompt(text: string): AggregationPrompt {
  const terminator = text.slice(-1);
  const parts = text.split(terminator);
  // A prompt "P=c1=c2=" splits into [P, c1, c2, ''].
  if (!terminator || parts.length < 3) throw new Error(`aggregation prompt: "${text}" lists no candidates after its problem`);
  return { problem: parts[0] + terminator, candidates: parts.slice(1, -1).map((c) => (c.length ? c : null)) };
}

/** Majority vote over exact answers; ties go to the answer seen first. */
export function majorityVote(answers: readonly (string | null)[]): Vote {
  return equivalenceVote(answers, (a, b) => a === b);
}

/** Vote over clusters of equivalent answers: each answer joins the first cluster whose representative equals it. */
export function equivalenceVote(answers: readonly (string | null)[], equivalent: (a: string, b: string) => boolean): Vote {
  const clusters: { representative: string; count: number }[] = [];
  for (const a of answers) {
    if (a === null) continue;
    const cluster = clusters.find((c) => equivalent(c.representative, a));
    if (cluster) cluster.count++;
    else clusters.push({ representative: a, count: 1 });
  }
  const best = clusters.reduce<(typeof clusters)[number] | null>((top, c) => (top === null || c.count > top.count ? c : top), null);
  return { answer: best?.representative ?? null, count: best?.count ?? 0, share: answers.length ? (best?.count ?? 0) / answers.length : 0 };
}

/** Polynomials equal by exact normal form (the math-object tasks' checker); unparseable ones only when identical. */
export function polynomialsEquivalent(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return polyEquals(parsePoly(a), parsePoly(b));
  } catch {
    return false;
  }
}

/** The pool's pass@k: the chance that k of its candidates, drawn without replacement, include a correct one. */
export function poolPassAtK(correct: readonly boolean[], k: number): number {
  return passAtK(correct.length, correct.filter(Boolean).length, k);
}
