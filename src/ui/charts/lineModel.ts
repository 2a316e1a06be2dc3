/** Scales, path and ticks of one small line chart, and the point nearest the pointer for the hover read-out. */
import { bisector, extent, line, scaleLinear, type ScaleLinear } from 'd3';

export interface XY {
  x: number;
  y: number;
}

export interface LineModel {
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  /** One SVG path per series (empty string for an empty series). */
  paths: string[];
  xTicks: number[];
  yTicks: number[];
}

export interface Box {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

/** `yDomain` fixes the y axis (widened if a value falls outside it); by default it spans the data. */
export function lineModel(series: readonly (readonly XY[])[], box: Box, yDomain?: [number, number]): LineModel {
  const all = series.flat().filter((p) => Number.isFinite(p.y));
  const [x0 = 0, x1 = 1] = extent(all, (p) => p.x);
  let [y0 = 0, y1 = 1] = extent(all, (p) => p.y);
  if (yDomain) [y0, y1] = [Math.min(y0, yDomain[0]), Math.max(y1, yDomain[1])];
  else if (y1 - y0 < 1e-12) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const x = scaleLinear()
    .domain([x0, x1 === x0 ? x0 + 1 : x1])
    .range([box.margin.left, box.width - box.margin.right]);
  const y = scaleLinear().domain([y0, y1]).nice(4).range([box.height - box.margin.bottom, box.margin.top]);
  const path = line<XY>()
    .defined((p) => Number.isFinite(p.y))
    .x((p) => x(p.x))
    .y((p) => y(p.y));
  return {
    x,
    y,
    paths: series.map((s) => (s.length ? (path(s as XY[]) ?? '') : '')),
    xTicks: x.ticks(4).filter(Number.isInteger),
    yTicks: y.ticks(3),
  };
}

/** Index of the point whose x is closest to `x` (points sorted by x), or -1 when there are none. */
export function nearestIndex(points: readonly XY[], x: number): number {
  if (!points.length) return -1;
  const i = bisector((p: XY) => p.x).center(points, x);
  return Math.min(Math.max(i, 0), points.length - 1);
}
