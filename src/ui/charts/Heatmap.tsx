/** Reward histograms over iterations: one column per iteration, one cell per bin, darker = more rollouts. */
import { max, scaleBand, scaleLinear, scaleSequential, interpolateViridis } from 'd3';
import type { Bin, Grid } from './bins';

const W = 620, H = 150, M = { top: 8, right: 10, bottom: 22, left: 36 };

export function Heatmap({ grid, rows, label }: { grid: Grid; rows: Bin[][]; label: string }) {
  const x = scaleBand<number>()
    .domain(rows.map((_, i) => i + 1))
    .range([M.left, W - M.right])
    .paddingInner(0.05);
  const y = scaleLinear().domain([grid.lo, grid.hi]).range([H - M.bottom, M.top]);
  const top = max(rows.flat(), (b) => b.count) || 1;
  const color = scaleSequential(interpolateViridis).domain([0, top]);
  const step = Math.max(1, Math.ceil(rows.length / 10));
  return (
    <svg className="heatmap" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${label}: ${rows.length} iterations`}>
      {rows.map((bins, i) =>
        bins.map((b) =>
          b.count ? (
            <rect key={`${i}-${b.x0}`} x={x(i + 1)} width={x.bandwidth()} y={y(b.x1)} height={Math.max(0, y(b.x0) - y(b.x1))} fill={color(b.count)}>
              <title>{`iteration ${i + 1}, reward [${b.x0.toFixed(2)}, ${b.x1.toFixed(2)}): ${b.count}`}</title>
            </rect>
          ) : null,
        ),
      )}
      {y.ticks(4).map((t) => (
        <text key={t} className="tick" x={M.left - 4} y={y(t)} dy="0.32em" textAnchor="end">
          {t}
        </text>
      ))}
      {rows.map((_, i) =>
        (i + 1) % step === 0 || i === 0 ? (
          <text key={i} className="tick" x={(x(i + 1) ?? 0) + x.bandwidth() / 2} y={H - 6} textAnchor="middle">
            {i + 1}
          </text>
        ) : null,
      )}
    </svg>
  );
}
