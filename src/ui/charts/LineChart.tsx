/**
 * One small line chart of metric series with a hover / keyboard read-out. d3 computes scales and the path; React
 * renders the SVG. The chart subscribes to its own series only, so a new iteration re-renders the charts, not the page.
 */
import { useMemo, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { CurveSpec } from '../../rl/curves';
import { useRun } from '../../store/appStore';
import type { MetricPoint } from '../../store/runReducer';
import { ema } from './ema';
import { Axes } from './Axes';
import { lineModel, nearestIndex, type Box, type XY } from './lineModel';

const BOX: Box = { width: 260, height: 130, margin: { top: 8, right: 10, bottom: 20, left: 40 } };

const fmt = (v: number) => (Math.abs(v) >= 100 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(2) : v.toFixed(3));

/** A vertical line at one step, e.g. where Swi+FT switches the activation. */
export interface StepMarker {
  x: number;
  label: string;
}

export function LineChart({ spec, smoothing, marker }: { spec: CurveSpec; smoothing: number; marker?: StepMarker | null }) {
  const names = useRun(
    useShallow((s) => (typeof spec.metrics === 'function' ? Object.keys(s.metrics).filter(spec.metrics).sort() : spec.metrics)),
  );
  const raw = useRun(useShallow((s) => names.map((n) => s.metrics[n] as MetricPoint[] | undefined)));
  const [hover, setHover] = useState<number | null>(null);

  const series: XY[][] = useMemo(
    () =>
      raw.map((pts) => {
        const list = pts ?? [];
        const smooth = ema(
          list.map((p) => p.value),
          smoothing,
        );
        return list.map((p, i) => ({ x: p.step, y: smooth[i] }));
      }),
    [raw, smoothing],
  );
  const model = useMemo(() => lineModel(series, BOX, spec.unit ? [0, 1] : undefined), [series, spec.unit]);
  const steps = series.reduce<XY[]>((a, s) => (s.length > a.length ? s : a), []);
  const active = hover !== null && steps.length ? steps[Math.min(hover, steps.length - 1)].x : null;
  const empty = series.every((s) => s.length === 0);
  const [x0, x1] = model.x.domain();
  const mark = marker && !empty && marker.x >= x0 && marker.x <= x1 ? marker : null;
  const label = (n: string) => spec.labels?.[n] ?? n;

  const onMove = (e: PointerEvent<SVGSVGElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const px = ((e.clientX - rect.left) / rect.width) * BOX.width;
    setHover(nearestIndex(steps, model.x.invert(px)));
  };
  const onKey = (e: KeyboardEvent<SVGSVGElement>) => {
    if (!steps.length) return;
    if (e.key === 'ArrowLeft') setHover((h) => Math.max(0, (h ?? steps.length) - 1));
    else if (e.key === 'ArrowRight') setHover((h) => Math.min(steps.length - 1, (h ?? -1) + 1));
    else return;
    e.preventDefault();
  };

  if (spec.optional && empty) return null;
  return (
    <figure className="chart" data-metric={names.join(' ')}>
      <figcaption>
        <span className="chart-title">{spec.title}</span>
        <span className="chart-readout mono" aria-live="polite">
          {names.map((n, i) => {
            const pts = series[i];
            const pt = active === null ? pts[pts.length - 1] : pts.find((p) => p.x === active);
            return (
              <span key={n} className={`series-${i}`}>
                {names.length > 1 ? `${label(n)} ` : ''}
                {pt ? fmt(pt.y) : '—'}
              </span>
            );
          })}
          {active !== null && <span className="muted">@ {active}</span>}
        </span>
      </figcaption>
      <svg
        viewBox={`0 0 ${BOX.width} ${BOX.height}`}
        role="img"
        aria-label={`${spec.title} by iteration`}
        tabIndex={0}
        onPointerMove={onMove}
        onPointerLeave={() => setHover(null)}
        onKeyDown={onKey}
        onBlur={() => setHover(null)}
      >
        <Axes model={model} box={BOX} />
        {model.paths.map((d, i) => (
          <path key={names[i]} className={`line series-${i}`} d={d} />
        ))}
        {spec.dots &&
          series.map((pts, i) => pts.map((p) => <circle key={`${names[i]}-${p.x}`} className={`dot series-${i}`} cx={model.x(p.x)} cy={model.y(p.y)} r={2} />))}
        {mark && (
          <g className="step-marker">
            <line x1={model.x(mark.x)} x2={model.x(mark.x)} y1={BOX.margin.top} y2={BOX.height - BOX.margin.bottom} />
            <title>{mark.label}</title>
          </g>
        )}
        {active !== null && <line className="cursor" x1={model.x(active)} x2={model.x(active)} y1={BOX.margin.top} y2={BOX.height - BOX.margin.bottom} />}
        {empty && (
          <text className="empty" x={BOX.width / 2} y={BOX.height / 2} textAnchor="middle">
            no data yet
          </text>
        )}
      </svg>
      {names.length > 1 && (
        <ul className="legend">
          {names.map((n, i) => (
            <li key={n} className={`series-${i}`}>
              {label(n)}
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
