/** EMA smoothing: identity at 0, bias-corrected start, skips gaps. */
import { describe, expect, it } from 'vitest';
import { ema } from '../../src/ui/charts/ema';

describe('ema', () => {
  it('returns the values unchanged at smoothing 0', () => {
    expect(ema([1, 5, -2], 0)).toEqual([1, 5, -2]);
  });

  it('starts at the first value (bias correction) and follows the recurrence', () => {
    const s = 0.5;
    const out = ema([2, 4, 4], s);
    expect(out[0]).toBeCloseTo(2);
    // acc = 0.5·(0.5·2) + 0.5·4 = 2.5; weight = 0.75 → 3.333…
    expect(out[1]).toBeCloseTo(2.5 / 0.75);
    expect(out[2]).toBeCloseTo((0.5 * 2.5 + 2) / 0.875);
  });

  it('keeps a constant series constant and passes NaN through without poisoning later points', () => {
    expect(ema([3, 3, 3, 3], 0.9).every((v) => Math.abs(v - 3) < 1e-12)).toBe(true);
    const out = ema([1, Number.NaN, 1], 0.8);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeCloseTo(1);
  });

  it('clamps smoothing to [0, 0.999]', () => {
    expect(ema([1, 2], -1)).toEqual([1, 2]);
    expect(ema([1, 2], 1)[1]).toBeCloseTo((0.999 * 0.001 + 0.002) / (0.999 * 0.001 + 0.001));
  });
});
