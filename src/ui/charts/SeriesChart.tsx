/**
 * A small line chart of series given as props (not store metrics): the judge-vs-gold read-out and the run
 * comparison overlay. Same look as LineChart; flagged steps get a marker on the x axis.
 */
import { Axes } from './Axes';
import { lineModel, type Box, type XY } from './lineModel';

const BOX: Box = { width: 260, height: 130, margin: { top: 8, right: 10, bottom: 20, left: 40 } };

export interface Series {
  label: string;
  points: XY[];
}

export function SeriesChart({
  title,
  series,
  unit,
  flags = [],
  dashed = [],
  dotsOnly = false,
}: {
  title: string;
  series: Series[];
  unit?: boolean;
  flags?: number[];
  dashed?: number[];
  /** A scatter: points without the lines joining them. */
  dotsOnly?: boolean;
}) {
  const model = lineModel(
    series.map((s) => s.points),
    BOX,
    unit ? [0, 1] : undefined,
  );
  const empty = series.every((s) => s.points.length === 0);
  return (
    <figure className="chart">
      <figcaption>
        <span className="chart-title">{title}</span>
      </figcaption>
      <svg viewBox={`0 0 ${BOX.width} ${BOX.height}`} role="img" aria-label={`${title}: ${series.map((s) => s.label).join(', ')}`}>
        <Axes model={model} box={BOX} />
        {!dotsOnly &&
          model.paths.map((d, i) => <path key={i} className={`line series-${i % 5}`} d={d} strokeDasharray={dashed.includes(i) ? '3 2' : undefined} />)}
        {series.map((s, i) => s.points.map((p, j) => <circle key={`${i}-${j}`} className={`dot series-${i % 5}`} cx={model.x(p.x)} cy={model.y(p.y)} r={1.8} />))}
        {flags.map((x) => (
          <g key={`f${x}`} className="flag-mark">
            <line x1={model.x(x)} x2={model.x(x)} y1={BOX.margin.top} y2={BOX.height - BOX.margin.bottom} />
            <text x={model.x(x)} y={BOX.margin.top + 8} textAnchor="middle">
              ⚑
            </text>
          </g>
        ))}
        {empty && (
          <text className="empty" x={BOX.width / 2} y={BOX.height / 2} textAnchor="middle">
            no data yet
          </text>
        )}
      </svg>
      <ul className="legend">
        {series.map((s, i) => (
          <li key={i} className={`series-${i % 5}`}>
            {s.label}
          </li>
        ))}
      </ul>
    </figure>
  );
}
