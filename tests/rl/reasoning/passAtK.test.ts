/** pass@k and Principia's pass@k advantages, against hand-computed values and their defining properties. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomialRatio, passAtK, passAtKAdvantages } from '../../../src/rl/reasoning/passAtK';

describe('pass@k', () => {
  it('is 1 − C(n−c, k)/C(n, k) on hand cases', () => {
    // n=4, c=1, k=2: 1 − C(3,2)/C(4,2) = 1 − 3/6 = 0.5.
    expect(passAtK(4, 1, 2)).toBeCloseTo(0.5, 12);
    // n=5, c=2, k=3: 1 − C(3,3)/C(5,3) = 1 − 1/10 = 0.9.
    expect(passAtK(5, 2, 3)).toBeCloseTo(0.9, 12);
    // n−c < k: every k-subset holds a correct one.
    expect(passAtK(4, 2, 3)).toBe(1);
    expect(passAtK(6, 0, 2)).toBe(0);
    // k = 1 is the plain accuracy: 3/8.
    expect(passAtK(8, 3, 1)).toBeCloseTo(3 / 8, 12);
  });

  it('keeps binomial ratios finite where the binomials overflow', () => {
    // C(2000, 400)/C(2001, 400) = (2001−400)/2001 = 1601/2001, though both exceed 1e308.
    expect(binomialRatio(2000, 2001, 400)).toBeCloseTo(1601 / 2001, 10);
    expect(() => binomialRatio(5, 4, 1)).toThrow(/0 ≤ a ≤ b/);
    expect(() => passAtK(4, 1, 5)).toThrow(/k must be an integer in \[1, 4\] \(got 5\)/);
    expect(() => passAtK(4, 5, 2)).toThrow(/correct count must be an integer in \[0, 4\] \(got 5\)/);
  });
});

describe('pass@k advantages', () => {
  it('match hand values', () => {
    // N=4, 1 correct (N_inc=3), k=2: μ = 0.5; A_correct = 0.5;
    // A_incorrect = 1 − 0.5 − C(2,1)/C(3,1) = 0.5 − 2/3 = −1/6. Sum 0.5 − 3/6 = 0.
    const a = passAtKAdvantages([false, true, false, false], 2);
    [-1 / 6, 0.5, -1 / 6, -1 / 6].forEach((v, i) => expect(a[i]).toBeCloseTo(v, 12));
    // N=5, 2 correct (N_inc=3), k=3: μ = 0.9; A_correct = 0.1;
    // A_incorrect = 0.1 − C(2,2)/C(4,2) = 0.1 − 1/6 = −1/15. Sum 2·0.1 − 3/15 = 0.
    const b = passAtKAdvantages([true, false, true, false, false], 3);
    [0.1, -1 / 15, 0.1, -1 / 15, -1 / 15].forEach((v, i) => expect(b[i]).toBeCloseTo(v, 12));
    // All wrong: μ = 0 and the ratio C(N−1, k−1)/C(N−1, k−1) = 1, so every advantage is 0; all right: 1 − 1 = 0.
    expect(passAtKAdvantages([false, false, false], 2)).toEqual([0, 0, 0]);
    expect(passAtKAdvantages([true, true, true], 2)).toEqual([0, 0, 0]);
  });

  const group = fc.array(fc.boolean(), { minLength: 1, maxLength: 64 }).chain((c) => fc.tuple(fc.constant(c), fc.integer({ min: 1, max: c.length })));

  it('sum to zero, rank correct above incorrect, and reduce to r − mean(r) at k = 1', () => {
    fc.assert(
      fc.property(group, ([correct, k]) => {
        const adv = passAtKAdvantages(correct, k);
        expect(Math.abs(adv.reduce((s, a) => s + a, 0))).toBeLessThan(1e-9);
        const mu = passAtK(correct.length, correct.filter(Boolean).length, k);
        for (let i = 0; i < correct.length; i++) {
          if (correct[i]) expect(adv[i]).toBeCloseTo(1 - mu, 12);
          else expect(adv[i]).toBeLessThanOrEqual(1 - mu + 1e-12);
        }
        const mean = correct.filter(Boolean).length / correct.length;
        passAtKAdvantages(correct, 1).forEach((a, i) => expect(a).toBeCloseTo((correct[i] ? 1 : 0) - mean, 12));
      }),
      { numRuns: 500, seed: 13 },
    );
  });
});
