/** Rng.permutation: a real permutation, reproducible from (seed, stream), and uniform over all n! orders. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng';

describe('Rng.permutation', () => {
  it('is a permutation of 0..n−1, the same for the same seed and stream', () => {
    const p = new Rng(7, 3).permutation(50);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(new Rng(7, 3).permutation(50)).toEqual(p);
    expect(new Rng(7, 4).permutation(50)).not.toEqual(p);
    expect(new Rng(1).permutation(0)).toEqual([]);
  });

  it('draws each of the 24 orders of 4 items about equally often', () => {
    const rng = new Rng(11);
    const counts = new Map<string, number>();
    const draws = 24_000;
    for (let i = 0; i < draws; i++) {
      const key = rng.permutation(4).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    // χ² with 23 degrees of freedom: 99.9 % quantile ≈ 49.7.
    const expected = draws / 24;
    const chi2 = [...counts.values()].reduce((a, c) => a + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(49.7);
  });
});
