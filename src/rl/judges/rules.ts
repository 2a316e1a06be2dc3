/** Rule verifiers and shaping terms: exact match, numeric tolerance, format, length penalty, DAPO soft overlong, easy-prompt think penalty. */
import { formatPoly, parsePoly, polyEquals } from './polynomial';
import type { TaskSplit } from '../tasks/types';
import { verdict, type Verdict } from './verdict';

export function exactMatchVerdict(answer: string | null, gold: string): Verdict {
  if (answer === null) return verdict(0, 'no answer', 'no answer could be extracted from the completion');
  return answer === gold
    ? verdict(1, 'correct', `"${answer}" equals the gold answer`)
    : verdict(0, 'wrong', `"${answer}" differs from the gold answer "${gold}"`);
}

export function numericVerdict(answer: string | null, gold: number, tolerance: number): Verdict {
  const v = answer === null ? NaN : Number(answer);
  if (!Number.isFinite(v)) return verdict(0, 'no number', `"${answer ?? ''}" is not a number`);
  const err = Math.abs(v - gold);
  return err <= tolerance
    ? verdict(1, 'correct', `${v} is within ${tolerance} of ${gold}`, { error: err })
    : verdict(0, 'wrong', `${v} is ${err} away from ${gold} (tolerance ${tolerance})`, { error: err });
}

export function formatVerdict(completion: string, pattern: RegExp, description: string): Verdict {
  return pattern.test(completion)
    ? verdict(1, 'well-formed', `matches the format: ${description}`)
    : verdict(0, 'malformed', `does not match the format: ${description}`);
}

/** Symbolic equivalence of polynomial answers by exact normal form. */
export function polynomialVerdict(answer: string | null, gold: string): Verdict {
  if (answer === null) return verdict(0, 'no answer', 'no answer could be extracted from the completion');
  let got;
  try {
    got = parsePoly(answer);
  } catch (e) {
    return verdict(0, 'unparseable', `cannot read "${answer}" as a polynomial: ${(e as Error).message}`);
  }
  const want = parsePoly(gold);
  return polyEquals(got, want)
    ? verdict(1, 'equivalent', `"${answer}" and "${gold}" have the same normal form ${formatPoly(want)}`)
    : verdict(0, 'not equivalent', `"${answer}" normalises to ${formatPoly(got)}, the gold answer to ${formatPoly(want)}`);
}

/** −coef · (length / maxLength): a gentle push toward short completions. */
export function lengthPenalty(length: number, maxLength: number, coef: number): Verdict {
  const score = -coef * (length / maxLength);
  return verdict(score, 'length', `${length} of ${maxLength} tokens → ${score.toFixed(3)}`, { length });
}

/**
 * −(think tokens / maxLength) on an easy prompt, 0 on a hard one: thinking is charged only where a direct answer
 * suffices. A prompt without a split (a task without one) is never charged.
 */
export function easyThinkPenalty(thinkTokens: number, maxLength: number, split: TaskSplit | undefined): Verdict {
  if (split !== 'easy') return verdict(0, split ? 'hard prompt' : 'no split', split ? 'thinking is free on hard prompts' : 'the task has no easy/hard split', { thinkTokens });
  const score = -thinkTokens / maxLength;
  return verdict(score, 'easy prompt', `${thinkTokens} think tokens of ${maxLength} → ${score.toFixed(3)}`, { thinkTokens });
}

/**
 * DAPO's soft overlong punishment: 0 up to L_max − L_cache tokens, then a linear ramp down to −1 at L_max,
 * and −1 beyond (docs/methods.md §4.2).
 */
export function softOverlong(length: number, maxLength: number, cache: number): Verdict {
  const start = maxLength - cache;
  const score = length <= start ? 0 : length <= maxLength ? (start - length) / cache : -1;
  return verdict(score, 'overlong', `${length} tokens, penalty starts after ${start} and reaches −1 at ${maxLength}`, { length });
}
