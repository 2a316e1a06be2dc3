/** Line chart geometry: domains, paths with gaps, a fixed [0, 1] axis, nearest point for the read-out. */
import { describe, expect, it } from 'vitest';
import { lineModel, nearestIndex, type Box } from '../../src/ui/charts/lineModel';

const box: Box = { width: 110, height: 60, margin: { top: 5, right: 5, bottom: 5, left: 5 } };

describe('lineModel', () => {
  it('maps the data extent onto the box and draws one path per series', () => {
    const m = lineModel([[{ x: 1, y: 0 }, { x: 3, y: 1 }], []], box);
    expect(m.x(1)).toBe(5);
    expect(m.x(3)).toBe(105);
    expect(m.y(0)).toBe(55);
    expect(m.y(1)).toBe(5);
    expect(m.paths[0]).toBe('M5,55L105,5');
    expect(m.paths[1]).toBe('');
    expect(m.xTicks.every(Number.isInteger)).toBe(true);
  });

  it('gives a flat series a visible range and breaks the path at NaN', () => {
    const m = lineModel([[{ x: 0, y: 2 }, { x: 1, y: Number.NaN }, { x: 2, y: 2 }, { x: 3, y: 2 }]], box);
    expect(m.y.domain()[0]).toBeLessThan(2);
    expect(m.y.domain()[1]).toBeGreaterThan(2);
    expect(m.paths[0].match(/M/g)).toHaveLength(2);
  });

  it('keeps a fixed domain unless the data leaves it', () => {
    expect(lineModel([[{ x: 0, y: 0.2 }, { x: 1, y: 0.3 }]], box, [0, 1]).y.domain()).toEqual([0, 1]);
    expect(lineModel([[{ x: 0, y: 1.5 }]], box, [0, 1]).y.domain()[1]).toBeGreaterThanOrEqual(1.5);
  });

  it('finds the nearest point by x', () => {
    const pts = [{ x: 1, y: 0 }, { x: 2, y: 0 }, { x: 5, y: 0 }];
    expect(nearestIndex(pts, 0)).toBe(0);
    expect(nearestIndex(pts, 3.4)).toBe(1);
    expect(nearestIndex(pts, 3.6)).toBe(2);
    expect(nearestIndex(pts, 99)).toBe(2);
    expect(nearestIndex([], 1)).toBe(-1);
  });
});
