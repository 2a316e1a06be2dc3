/**
 * J1-style pairwise judging (docs/methods.md §6.2; a fixed dial-driven judge, not a trained one): a judge compares responses A and B in both orders; the verdict is
 * position-consistent when both orders prefer the same response, and the reward is 1 for a response that is
 * preferred consistently (and, when the gold answer is known, is actually correct).
 */
import { biasedScore, type BiasedJudgeSettings } from './biased';
import { verdict, type Verdict } from './verdict';

export interface PairInput {
  completion: string;
  correct: boolean;
}

export interface PairwiseResult {
  /** Preferred response per order: 'A' or 'B' for (A,B) shown as given, and for (B,A) mapped back. */
  forward: 'A' | 'B';
  backward: 'A' | 'B';
  consistent: boolean;
  /** The consistently preferred response, or null when the two orders disagree. */
  winner: 'A' | 'B' | null;
  /** Whether the winner is the correct one (null without a winner or when both/neither are correct). */
  winnerCorrect: boolean | null;
  verdictA: Verdict;
  verdictB: Verdict;
}

function prefer(first: PairInput, second: PairInput, s: BiasedJudgeSettings, call: number): 'first' | 'second' {
  const a = biasedScore(first.completion, first.correct, s, call).score + s.positionBias;
  const b = biasedScore(second.completion, second.correct, s, call + 1).score;
  return a >= b ? 'first' : 'second';
}

export function judgePair(a: PairInput, b: PairInput, s: BiasedJudgeSettings): PairwiseResult {
  const forward = prefer(a, b, s, 0) === 'first' ? 'A' : 'B';
  const backward = prefer(b, a, s, 2) === 'first' ? 'B' : 'A';
  const consistent = forward === backward;
  const winner = consistent ? forward : null;
  const winnerCorrect = winner === null || a.correct === b.correct ? null : (winner === 'A') === a.correct;
  const reward = (side: 'A' | 'B'): Verdict => {
    const won = winner === side;
    const why = !consistent
      ? `position-inconsistent: preferred ${forward} when A was first and ${backward} when B was first`
      : won
        ? `preferred in both orders`
        : `the other response was preferred in both orders`;
    return verdict(won ? 1 : 0, !consistent ? 'inconsistent' : won ? 'preferred' : 'dispreferred', why, { consistent: consistent ? 1 : 0 });
  };
  return { forward, backward, consistent, winner, winnerCorrect, verdictA: reward('A'), verdictB: reward('B') };
}
