import { describe, expect, it } from 'vitest';
import { constantLr, warmupCosine, warmupLinear } from '../../src/engine/schedule';

// Peak 1, warm-up 4 steps (0.25, 0.5, 0.75, 1), decay over steps 4..12 to the floor 0.1.
const opts = { lr: 1, warmupSteps: 4, totalSteps: 12, minLrRatio: 0.1 };

describe('lr schedules', () => {
  it('constant ignores the step', () => {
    expect([0, 7, 1000].map((s) => constantLr(s, { lr: 3e-4 }))).toEqual([3e-4, 3e-4, 3e-4]);
  });

  it('warm-up is linear, starts above 0 and reaches the peak on its last step', () => {
    for (const f of [warmupCosine, warmupLinear]) {
      expect([0, 1, 2, 3].map((s) => f(s, opts))).toEqual([0.25, 0.5, 0.75, 1]);
    }
  });

  it('cosine decays from the peak to the floor and stays there', () => {
    expect(warmupCosine(4, opts)).toBe(1);
    expect(warmupCosine(6, opts)).toBeCloseTo(0.1 + 0.9 * 0.5 * (1 + Math.SQRT1_2), 12);
    expect(warmupCosine(8, opts)).toBeCloseTo(0.55, 12);
    expect(warmupCosine(12, opts)).toBeCloseTo(0.1, 12);
    expect(warmupCosine(50, opts)).toBeCloseTo(0.1, 12);
  });

  it('linear decays from the peak to the floor and stays there', () => {
    expect(warmupLinear(4, opts)).toBe(1);
    expect(warmupLinear(6, opts)).toBeCloseTo(0.775, 12);
    expect(warmupLinear(8, opts)).toBeCloseTo(0.55, 12);
    expect(warmupLinear(12, opts)).toBeCloseTo(0.1, 12);
    expect(warmupLinear(50, opts)).toBeCloseTo(0.1, 12);
  });

  it('handles no warm-up, a zero floor and warm-up covering the whole run', () => {
    const noWarm = { lr: 2, warmupSteps: 0, totalSteps: 10, minLrRatio: 0 };
    expect(warmupCosine(0, noWarm)).toBe(2);
    expect(warmupLinear(5, noWarm)).toBe(1);
    expect(warmupLinear(10, noWarm)).toBe(0);
    const allWarm = { lr: 1, warmupSteps: 4, totalSteps: 4, minLrRatio: 0.5 };
    expect(warmupCosine(3, allWarm)).toBe(1);
    expect(warmupCosine(4, allWarm)).toBe(0.5);
  });

  it('rejects invalid steps and options', () => {
    expect(() => warmupCosine(-1, opts)).toThrow(/step/);
    expect(() => warmupCosine(1.5, opts)).toThrow(/step/);
    expect(() => warmupLinear(0, { ...opts, minLrRatio: 2 })).toThrow(/minLrRatio/);
    expect(() => warmupLinear(0, { ...opts, warmupSteps: -1 })).toThrow(/warmupSteps/);
  });
});
