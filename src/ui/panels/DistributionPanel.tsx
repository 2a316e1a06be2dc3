/** This iteration's reward and advantage histograms, and the reward histograms of every iteration as a heatmap. */
import { useMemo } from 'react';
import { useRun } from '../../store/appStore';
import { binHistory, binValues, gridFor } from '../charts/bins';
import { Heatmap } from '../charts/Heatmap';
import { Histogram } from '../charts/Histogram';

// Odd, so a constant sample (every reward equal) sits in the middle of a bin.
const BINS = 11;

export function DistributionPanel() {
  const rewardHistory = useRun((s) => s.rewardHistory);
  const advantageHistory = useRun((s) => s.advantageHistory);
  const latest = rewardHistory.length;
  const heat = useMemo(() => binHistory(rewardHistory, BINS), [rewardHistory]);
  const adv = useMemo(() => {
    const values = advantageHistory[advantageHistory.length - 1] ?? [];
    return binValues(values, gridFor(values, BINS));
  }, [advantageHistory]);
  return (
    <section className="panel" aria-labelledby="dist-title">
      <header className="panel-header">
        <h2 id="dist-title">Reward distribution</h2>
        <span className="muted">{latest ? `iteration ${latest}` : 'after the first iteration'}</span>
      </header>
      {latest === 0 ? (
        <p className="muted empty-note">Train or step to see rewards and advantages.</p>
      ) : (
        <div className="dist-grid">
          <figure>
            <figcaption>rewards</figcaption>
            <Histogram bins={heat.rows[latest - 1]} label="Reward histogram" className="rewards" />
          </figure>
          <figure>
            <figcaption>advantages</figcaption>
            <Histogram bins={adv} label="Advantage histogram" className="advantages" />
          </figure>
          <figure className="wide">
            <figcaption>
              reward histogram by iteration <span className="muted">(columns: iterations; colour: rollouts per reward bin, yellow = most)</span>
            </figcaption>
            <Heatmap grid={heat.grid} rows={heat.rows} label="Reward heatmap" />
          </figure>
        </div>
      )}
    </section>
  );
}
