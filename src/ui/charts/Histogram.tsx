/** Bar histogram of precomputed bins; d3 scales, React SVG. */
import { max, scaleLinear } from 'd3';
import type { Bin } from './bins';

const W = 300, H = 130, M = { top: 8, right: 10, bottom: 22, left: 30 };

export function Histogram({ bins, label, className = '' }: { bins: Bin[]; label: string; className?: string }) {
  const x = scaleLinear()
    .domain([bins[0]?.x0 ?? 0, bins[bins.length - 1]?.x1 ?? 1])
    .range([M.left, W - M.right]);
  const y = scaleLinear()
    .domain([0, max(bins, (b) => b.count) || 1])
    .nice(3)
    .range([H - M.bottom, M.top]);
  const total = bins.reduce((a, b) => a + b.count, 0);
  return (
    <svg className={`histogram ${className}`} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${label}: ${total} values in ${bins.length} bins`}>
      {y.ticks(3).map((t) => (
        <g key={t} className="tick">
          <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} />
          <text x={M.left - 4} y={y(t)} dy="0.32em" textAnchor="end">
            {t}
          </text>
        </g>
      ))}
      {bins.map((b) => (
        <rect key={b.x0} className="bar" x={x(b.x0) + 0.5} width={Math.max(0, x(b.x1) - x(b.x0) - 1)} y={y(b.count)} height={y(0) - y(b.count)}>
          <title>{`[${b.x0.toFixed(2)}, ${b.x1.toFixed(2)}): ${b.count}`}</title>
        </rect>
      ))}
      {x.ticks(5).map((t) => (
        <text key={t} className="tick" x={x(t)} y={H - 6} textAnchor="middle">
          {t}
        </text>
      ))}
    </svg>
  );
}
