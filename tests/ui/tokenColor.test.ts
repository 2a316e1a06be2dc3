/** Token colours: fixed domains per mode, diverging advantage, readable text colour. */
import { describe, expect, it } from 'vitest';
import { textOn, tokenColor, tokenValue } from '../../src/ui/charts/tokenColor';

const scale = { maxEntropy: Math.log(16), maxAbsAdvantage: 2 };
const lum = (c: string) => {
  const [r, g, b] = (/rgb\((\d+), (\d+), (\d+)\)/.exec(c) ?? []).slice(1).map(Number);
  return 0.299 * r + 0.587 * g + 0.114 * b;
};

describe('token colours', () => {
  it('reads the value each mode colours by', () => {
    expect(tokenValue('probability', Math.log(0.25), 1, 3)).toBeCloseTo(0.25);
    expect(tokenValue('entropy', -1, 1.5, 3)).toBe(1.5);
    expect(tokenValue('advantage', -1, 1.5, -0.7)).toBe(-0.7);
  });

  it('makes unlikely tokens darker than certain ones, and high entropy darker than low', () => {
    expect(lum(tokenColor('probability', 0.05, scale))).toBeLessThan(lum(tokenColor('probability', 0.99, scale)));
    expect(lum(tokenColor('entropy', scale.maxEntropy, scale))).toBeLessThan(lum(tokenColor('entropy', 0, scale)));
  });

  it('colours advantages on a diverging scale: opposite hues for opposite signs, clamped', () => {
    const neg = /rgb\((\d+), (\d+), (\d+)\)/.exec(tokenColor('advantage', -2, scale))!.slice(1).map(Number);
    const pos = /rgb\((\d+), (\d+), (\d+)\)/.exec(tokenColor('advantage', 2, scale))!.slice(1).map(Number);
    expect(neg[0]).toBeGreaterThan(neg[2]); // red side
    expect(pos[2]).toBeGreaterThan(pos[0]); // blue side
    expect(tokenColor('advantage', 50, scale)).toBe(tokenColor('advantage', 2, scale));
    expect(tokenColor('advantage', Number.NaN, scale)).toBe('transparent');
  });

  it('picks dark text on light backgrounds and light text on dark ones', () => {
    expect(textOn('rgb(250, 250, 250)')).toBe('#111');
    expect(textOn('rgb(10, 20, 80)')).toBe('#fff');
    expect(textOn('transparent')).toBe('inherit');
  });
});
