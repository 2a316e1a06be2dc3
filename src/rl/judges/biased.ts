/**
 * A judge with dials for the biases real LLM judges have, so users can watch a policy hack its reward:
 * it starts from the true correctness and adds length bias, a bonus for a "magic" keyword, position bias
 * (in pairwise use) and random flips. Deterministic per (seed, completion, call index).
 */
import { hashKey, uniformAt } from '../../engine/rng';
import { verdict, type Verdict } from './verdict';

export interface BiasedJudgeSettings {
  /** Score added per character of the completion (rewards rambling). */
  lengthBias: number;
  /** Bonus when the completion contains `keyword` ("one token to fool the judge"). */
  keywordBias: number;
  keyword: string;
  /** Probability of flipping the correctness part of the score. */
  noise: number;
  /** Pairwise only: preference for the response shown first (added to its score). */
  positionBias: number;
  seed: number;
}

export const NEUTRAL_JUDGE: BiasedJudgeSettings = { lengthBias: 0, keywordBias: 0, keyword: '', noise: 0, positionBias: 0, seed: 0 };

function textHash(s: string): number {
  let h = 0;
  for (const ch of s) h = hashKey(h, ch.codePointAt(0)!, 0);
  return h;
}

export function biasedScore(completion: string, correct: boolean, s: BiasedJudgeSettings, call = 0): Verdict {
  const flip = s.noise > 0 && uniformAt(s.seed, textHash(completion), call) < s.noise;
  const base = (correct !== flip ? 1 : 0);
  const length = s.lengthBias * [...completion].length;
  const keyword = s.keyword && completion.includes(s.keyword) ? s.keywordBias : 0;
  const score = base + length + keyword;
  const reasons = [
    `${correct ? 'correct' : 'incorrect'}${flip ? ' (flipped by noise)' : ''} → ${base}`,
    length ? `length bias +${length.toFixed(3)}` : '',
    keyword ? `keyword "${s.keyword}" +${keyword}` : '',
  ].filter(Boolean);
  return verdict(score, flip ? 'noisy' : correct ? 'approve' : 'reject', reasons.join('; '), { correctness: base, length, keyword });
}
