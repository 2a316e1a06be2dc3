/** Token colours: fixed domains per mode, diverging advantage / contribution / log-ratio, KL, readable text colour. */
import { describe, expect, it } from 'vitest';
import { MIN_LOG_RATIO, textOn, tokenColor, tokenValue, type TokenColorMode } from '../../src/ui/charts/tokenColor';

const scale = { maxEntropy: Math.log(16), maxAbsAdvantage: 2, maxAbsLogRatio: Math.log(1.5), maxAbsContribution: 0.1, maxKl: 0.5 };
const rgb = (c: string) => (/rgb\((\d+), (\d+), (\d+)\)/.exec(c) ?? []).slice(1).map(Number);
const lum = (c: string) => {
  const [r, g, b] = rgb(c);
  return 0.299 * r + 0.587 * g + 0.114 * b;
};
/** Red side of the diverging scale: more red than blue; blue side the other way round. */
const side = (c: string) => {
  const [r, , b] = rgb(c);
  return r > b ? 'red' : b > r ? 'blue' : 'neutral';
};

describe('token colours', () => {
  it('reads the value each mode colours by, NaN where the token has none', () => {
    const s = { logprob: Math.log(0.25), entropy: 1.5, advantage: -0.7, ratio: 1.2, contribution: -0.01, kl: 0.03 };
    expect(tokenValue('probability', s)).toBeCloseTo(0.25);
    expect(tokenValue('entropy', s)).toBe(1.5);
    expect(tokenValue('advantage', s)).toBe(-0.7);
    expect(tokenValue('ratio', s)).toBe(1.2);
    expect(tokenValue('contribution', s)).toBe(-0.01);
    expect(tokenValue('kl', s)).toBe(0.03);
    const bare = { logprob: -1, entropy: 1, advantage: 1 };
    for (const mode of ['ratio', 'contribution', 'kl'] as TokenColorMode[]) {
      expect(tokenValue(mode, bare)).toBeNaN();
      expect(tokenColor(mode, tokenValue(mode, bare), scale)).toBe('transparent');
    }
  });

  it('makes unlikely tokens darker than certain ones, and high entropy and high KL darker than low', () => {
    expect(lum(tokenColor('probability', 0.05, scale))).toBeLessThan(lum(tokenColor('probability', 0.99, scale)));
    expect(lum(tokenColor('entropy', scale.maxEntropy, scale))).toBeLessThan(lum(tokenColor('entropy', 0, scale)));
    expect(lum(tokenColor('kl', scale.maxKl, scale))).toBeLessThan(lum(tokenColor('kl', 0, scale)));
    expect(tokenColor('kl', 5, scale)).toBe(tokenColor('kl', scale.maxKl, scale));
  });

  it('colours advantages and contributions on a diverging scale: opposite hues for opposite signs, clamped', () => {
    for (const [mode, m] of [['advantage', scale.maxAbsAdvantage], ['contribution', scale.maxAbsContribution]] as const) {
      expect(side(tokenColor(mode, -m, scale))).toBe('red');
      expect(side(tokenColor(mode, m, scale))).toBe('blue');
      expect(tokenColor(mode, 50 * m, scale)).toBe(tokenColor(mode, m, scale));
      expect(tokenColor(mode, Number.NaN, scale)).toBe('transparent');
    }
  });

  it('colours ratios on log r centred at 1: r and 1/r equally strong on opposite sides, r = 1 neutral', () => {
    expect(side(tokenColor('ratio', 1.5, scale))).toBe('blue');
    expect(side(tokenColor('ratio', 1 / 1.5, scale))).toBe('red');
    // Same positions on the shared diverging scale as advantages at the same fraction of their range.
    expect(tokenColor('ratio', 1.5, scale)).toBe(tokenColor('advantage', 2, scale));
    expect(tokenColor('ratio', 1 / 1.5, scale)).toBe(tokenColor('advantage', -2, scale));
    expect(tokenColor('ratio', Math.sqrt(1.5), scale)).toBe(tokenColor('advantage', 1, scale));
    expect(tokenColor('ratio', 1, scale)).toBe(tokenColor('advantage', 0, scale));
    expect(tokenColor('ratio', 3, scale)).toBe(tokenColor('ratio', 1.5, scale));
    expect(tokenColor('ratio', 0, scale)).toBe('transparent');
  });

  it('keeps float-error ratios near neutral instead of stretching them to full colour', () => {
    const noise = { ...scale, maxAbsLogRatio: 1e-7 };
    const neutral = lum(tokenColor('ratio', 1, noise));
    expect(Math.abs(lum(tokenColor('ratio', Math.exp(1e-7), noise)) - neutral)).toBeLessThan(1);
    // At the floor a change is at full strength.
    expect(tokenColor('ratio', Math.exp(MIN_LOG_RATIO), noise)).toBe(tokenColor('ratio', 1.5, scale));
  });

  it('picks dark text on light backgrounds and light text on dark ones', () => {
    expect(textOn('rgb(250, 250, 250)')).toBe('#111');
    expect(textOn('rgb(10, 20, 80)')).toBe('#fff');
    expect(textOn('transparent')).toBe('inherit');
  });
});
