/** Small multiples of the training curves the run's algorithm logs (src/rl/curves.ts), with one EMA smoothing slider for all of them. */
import { useId, useState } from 'react';
import { swiFtSwitchStep } from '../../model/config';
import { curvesFor } from '../../rl/curves';
import { useRun } from '../../store/appStore';
import { LineChart } from '../charts/LineChart';

export function CurvesPanel() {
  const id = useId();
  const [smoothing, setSmoothing] = useState(0);
  const swiFt = useRun((s) => swiFtSwitchStep({ swiFtFraction: s.applied.model.swiFtFraction ?? 0 }, s.applied.iterations));
  // Metrics of step k come from trainer iteration k − 1, so the first RELU iteration is plotted at switch + 1.
  const marker = swiFt === null ? null : { x: swiFt + 1, label: `Swi+FT: RELU from iteration ${swiFt + 1}` };
  // Train warm-starts whenever the run has SFT steps, and an imported checkpoint stands in for them: only a run
  // set to 0 steps trains from random weights, and the curves would not say so on their own.
  const charts = curvesFor(useRun((s) => s.applied.algorithm));
  const coldStart = useRun((s) => s.applied.sft.steps === 0 && !s.sftDone);
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <header className="panel-header">
        <h2 id={`${id}-title`}>Curves</h2>
        <label className="inline-control">
          EMA smoothing
          <input type="range" min={0} max={0.95} step={0.05} value={smoothing} onChange={(e) => setSmoothing(Number(e.target.value))} />
          <span className="mono">{smoothing.toFixed(2)}</span>
        </label>
      </header>
      {coldStart && (
        <p className="muted" role="note">
          No warm-start in this run (SFT steps = 0): training starts from the randomly initialised policy, so rewards start near zero.
        </p>
      )}
      <div className="chart-grid">
        {charts.map((c) => (
          <LineChart key={c.title} spec={c} smoothing={smoothing} marker={marker} />
        ))}
      </div>
    </section>
  );
}
