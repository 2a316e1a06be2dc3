/**
 * Colours for the rollout inspector's token backgrounds. Probability and entropy use a sequential scale with a
 * fixed domain (so colours mean the same across rollouts); KL a sequential scale up to the largest KL shown;
 * advantage and its per-token contribution diverge around 0, the policy ratio around r = 1 on a log scale (so
 * r and 1/r are equally strong).
 */
import { interpolateBlues, interpolateOranges, interpolatePurples, interpolateRdBu, scaleDiverging, scaleSequential } from 'd3';

export type TokenColorMode = 'probability' | 'entropy' | 'ratio' | 'advantage' | 'contribution' | 'kl';

/** One token's numbers; the optional ones exist only when their data does (fetched ratios, a KL reference). */
export interface TokenStats {
  logprob: number;
  entropy: number;
  advantage: number;
  /** π_θ(token) / π_sample(token) under the current policy. */
  ratio?: number;
  /** advantage × the token's loss weight: how hard the update pushed this token. */
  contribution?: number;
  /** k3 estimate of KL(π‖π_ref) at this token. */
  kl?: number;
}

/** Per-view magnitudes the scales stretch to. */
export interface TokenScale {
  /** log of the vocabulary size: the entropy of a uniform choice. */
  maxEntropy: number;
  maxAbsAdvantage: number;
  /** Largest |log r| of the tokens shown. */
  maxAbsLogRatio: number;
  maxAbsContribution: number;
  maxKl: number;
}

/**
 * Ratio changes smaller than this (in |log r|) stay near the neutral colour: before any update the ratios differ
 * from 1 by float error only, which must not be stretched to full colour.
 */
export const MIN_LOG_RATIO = 1e-3;

/** Low probability stands out (dark); certain tokens stay light. */
const probability = scaleSequential((t: number) => interpolateOranges(1 - t)).domain([0, 1]).clamp(true);

/** The value a mode colours by; NaN when this token has none (e.g. ratios not fetched yet). */
export function tokenValue(mode: TokenColorMode, s: TokenStats): number {
  switch (mode) {
    case 'probability':
      return Math.exp(s.logprob);
    case 'entropy':
      return s.entropy;
    case 'ratio':
      return s.ratio ?? Number.NaN;
    case 'advantage':
      return s.advantage;
    case 'contribution':
      return s.contribution ?? Number.NaN;
    case 'kl':
      return s.kl ?? Number.NaN;
  }
}

const diverging = (m: number) => scaleDiverging(interpolateRdBu).domain([-m, 0, m]).clamp(true);

/** Background colour for a token value; positive / up-weighted is blue, negative / down-weighted red. */
export function tokenColor(mode: TokenColorMode, value: number, scale: TokenScale): string {
  if (!Number.isFinite(value)) return 'transparent';
  switch (mode) {
    case 'probability':
      return probability(value);
    case 'entropy':
      return scaleSequential(interpolateBlues).domain([0, scale.maxEntropy || 1]).clamp(true)(value);
    case 'ratio':
      return value > 0 ? diverging(Math.max(scale.maxAbsLogRatio, MIN_LOG_RATIO))(Math.log(value)) : 'transparent';
    case 'advantage':
      return diverging(scale.maxAbsAdvantage || 1)(value);
    case 'contribution':
      return diverging(scale.maxAbsContribution || 1)(value);
    case 'kl':
      return scaleSequential(interpolatePurples).domain([0, scale.maxKl || 1]).clamp(true)(value);
  }
}

/** Dark or light text for a background colour, by its perceived luminance. */
export function textOn(background: string): string {
  const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(background);
  if (!m) return 'inherit';
  const [r, g, b] = [m[1], m[2], m[3]].map(Number);
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#111' : '#fff';
}
