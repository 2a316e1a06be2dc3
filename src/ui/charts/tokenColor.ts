/**
 * Colours for the rollout inspector's token backgrounds. Probability and entropy use a sequential scale with a
 * fixed domain (so colours mean the same across rollouts); advantage uses a diverging scale centred on 0.
 */
import { interpolateBlues, interpolateOranges, interpolateRdBu, scaleDiverging, scaleSequential } from 'd3';

export type TokenColorMode = 'probability' | 'entropy' | 'advantage';

/** Low probability stands out (dark); certain tokens stay light. */
const probability = scaleSequential((t: number) => interpolateOranges(1 - t)).domain([0, 1]).clamp(true);

export function tokenValue(mode: TokenColorMode, logprob: number, entropy: number, advantage: number): number {
  if (mode === 'probability') return Math.exp(logprob);
  if (mode === 'entropy') return entropy;
  return advantage;
}

/**
 * Background colour for a token value. Entropy is scaled by `maxEntropy` (log of the vocabulary size, the
 * entropy of a uniform choice); advantage by `maxAbsAdvantage` of the rollouts shown.
 */
export function tokenColor(mode: TokenColorMode, value: number, scale: { maxEntropy: number; maxAbsAdvantage: number }): string {
  if (!Number.isFinite(value)) return 'transparent';
  if (mode === 'probability') return probability(value);
  if (mode === 'entropy') return scaleSequential(interpolateBlues).domain([0, scale.maxEntropy || 1]).clamp(true)(value);
  const m = scale.maxAbsAdvantage || 1;
  return scaleDiverging(interpolateRdBu).domain([-m, 0, m]).clamp(true)(value);
}

/** Dark or light text for a background colour, by its perceived luminance. */
export function textOn(background: string): string {
  const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(background);
  if (!m) return 'inherit';
  const [r, g, b] = [m[1], m[2], m[3]].map(Number);
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#111' : '#fff';
}
