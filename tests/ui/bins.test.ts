/** Histogram bins on a shared grid, as the reward histograms and heatmap use them. */
import { describe, expect, it } from 'vitest';
import { binHistory, binValues, gridFor } from '../../src/ui/charts/bins';

describe('bins', () => {
  it('spans the samples with equal bins and counts every value once (top edge in the last bin)', () => {
    const grid = gridFor([0, 1, 0.5], 4);
    expect(grid).toEqual({ lo: 0, hi: 1, count: 4 });
    const bins = binValues([0, 0.1, 0.25, 0.5, 0.99, 1], grid);
    expect(bins.map((b) => b.count)).toEqual([2, 1, 1, 2]);
    expect(bins.map((b) => [b.x0, b.x1])).toEqual([[0, 0.25], [0.25, 0.5], [0.5, 0.75], [0.75, 1]]);
  });

  it('centres a constant sample in an odd number of bins', () => {
    const grid = gridFor([0, 0, 0], 11);
    expect(grid.lo).toBeCloseTo(-0.5);
    expect(grid.hi).toBeCloseTo(0.5);
    const counts = binValues([0, 0, 0], grid).map((b) => b.count);
    expect(counts[5]).toBe(3);
  });

  it('ignores non-finite values and survives an empty sample', () => {
    expect(gridFor([], 3)).toEqual({ lo: 0, hi: 1, count: 3 });
    expect(binValues([Number.NaN, Infinity, 0.5], { lo: 0, hi: 1, count: 2 }).map((b) => b.count)).toEqual([0, 1]);
  });

  it('bins every iteration on one grid', () => {
    const { grid, rows } = binHistory([[0, 0], [1, 1, 0.5]], 2);
    expect(grid).toEqual({ lo: 0, hi: 1, count: 2 });
    expect(rows.map((r) => r.map((b) => b.count))).toEqual([[2, 0], [0, 3]]);
  });
});
