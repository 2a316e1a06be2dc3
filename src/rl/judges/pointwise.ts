/** A pointwise judge (J1's PoS form): one response → a score in [0, 10] with one decimal, from the biased judge's dials. */
import { biasedScore, type BiasedJudgeSettings } from './biased';
import { verdict, type Verdict } from './verdict';

export function pointwiseScore(completion: string, correct: boolean, s: BiasedJudgeSettings, call = 0): Verdict {
  const raw = biasedScore(completion, correct, s, call);
  const score = Math.round(Math.min(1, Math.max(0, raw.score)) * 100) / 10;
  return verdict(score, score >= 5 ? 'good' : 'poor', `${score.toFixed(1)}/10: ${raw.rationale}`, raw.parts);
}
