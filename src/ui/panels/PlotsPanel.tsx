/**
 * The figures the run's algorithm draws besides its curves (src/rl/plots.ts): the latest of each, as small x–y
 * charts. Hidden while the run has none.
 */
import { useId } from 'react';
import { useRun } from '../../store/appStore';
import { SeriesChart } from '../charts/SeriesChart';

export function PlotsPanel() {
  const id = useId();
  const plots = useRun((s) => s.plots);
  if (!plots.length) return null;
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <header className="panel-header">
        <h2 id={`${id}-title`}>Experiment plots</h2>
      </header>
      <div className="chart-grid">
        {plots.map((p) => (
          <SeriesChart
            key={p.id}
            title={`${p.title} (${p.yLabel} against ${p.xLabel})`}
            series={p.series.map((s) => ({ label: s.label, points: [...s.points].sort((a, b) => a.x - b.x) }))}
            unit={p.unit}
            dotsOnly={p.kind === 'scatter'}
          />
        ))}
      </div>
    </section>
  );
}
