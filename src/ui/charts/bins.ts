/**
 * Histogram bins on a fixed grid. The grid is shared by every iteration's histogram so the heatmap's rows line
 * up; a grid over a constant sample gets a small span around it instead of zero width.
 */
import { extent, range } from 'd3';

export interface Bin {
  x0: number;
  x1: number;
  count: number;
}

export interface Grid {
  lo: number;
  hi: number;
  count: number;
}

/** A grid of `count` equal bins spanning every value in `samples` (all iterations' values, flattened). */
export function gridFor(samples: readonly number[], count: number): Grid {
  const finite = samples.filter(Number.isFinite);
  const [min, max] = extent(finite);
  if (min === undefined || max === undefined) return { lo: 0, hi: 1, count };
  if (max - min < 1e-9) return { lo: min - 0.5, hi: max + 0.5, count };
  return { lo: min, hi: max, count };
}

/** Counts of `values` in each bin of the grid; the top edge belongs to the last bin. */
export function binValues(values: readonly number[], grid: Grid): Bin[] {
  const width = (grid.hi - grid.lo) / grid.count;
  const bins: Bin[] = range(grid.count).map((i) => ({ x0: grid.lo + i * width, x1: grid.lo + (i + 1) * width, count: 0 }));
  for (const v of values) {
    if (!Number.isFinite(v) || v < grid.lo || v > grid.hi) continue;
    bins[Math.min(grid.count - 1, Math.floor((v - grid.lo) / width))].count++;
  }
  return bins;
}

/** One histogram per iteration on a common grid: rows of the reward heatmap. */
export function binHistory(history: readonly (readonly number[])[], count: number): { grid: Grid; rows: Bin[][] } {
  const grid = gridFor(history.flat(), count);
  return { grid, rows: history.map((values) => binValues(values, grid)) };
}
