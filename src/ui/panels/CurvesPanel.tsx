/**
 * Small multiples of the training curves (TRL metric names), with one EMA smoothing slider for all of them. Charts
 * of metrics only one algorithm or setting logs (KL, clipping, DPO's implicit rewards and pairs) are optional:
 * shown only once the run logs them.
 */
import { useId, useState } from 'react';
import { swiFtSwitchStep } from '../../model/config';
import { REWARD_NAMES } from '../../rl/rewards';
import { useRun } from '../../store/appStore';
import { LineChart, type ChartSpec } from '../charts/LineChart';

const CHARTS: ChartSpec[] = [
  { title: 'reward', metrics: ['reward'] },
  { title: 'held-out accuracy', metrics: (n) => n === 'accuracy' || n.startsWith('pass@'), labels: { accuracy: 'greedy' }, dots: true, unit: true },
  { title: 'train accuracy', metrics: ['accuracy_train'], unit: true },
  { title: 'kl', metrics: ['kl'], optional: true },
  { title: 'entropy', metrics: ['entropy'] },
  { title: 'loss', metrics: ['loss'] },
  { title: 'grad_norm', metrics: ['grad_norm'] },
  {
    title: 'clip ratio',
    optional: true,
    metrics: ['clip_ratio/low_mean', 'clip_ratio/high_mean'],
    labels: { 'clip_ratio/low_mean': 'low', 'clip_ratio/high_mean': 'high' },
  },
  { title: 'frac_reward_zero_std', metrics: ['frac_reward_zero_std'], unit: true, optional: true },
  {
    title: 'DPO implicit rewards',
    optional: true,
    metrics: ['rewards/chosen', 'rewards/rejected', 'rewards/margins'],
    labels: { 'rewards/chosen': 'chosen', 'rewards/rejected': 'rejected', 'rewards/margins': 'margin' },
  },
  { title: 'DPO reward accuracy', metrics: ['rewards/accuracies'], unit: true, optional: true },
  {
    title: 'DPO pairs',
    optional: true,
    metrics: ['dpo/pairs', 'dpo/skipped_prompts'],
    labels: { 'dpo/pairs': 'pairs', 'dpo/skipped_prompts': 'skipped prompts' },
  },
  { title: 'DPO generator lag', metrics: ['dpo/generator_lag'], optional: true },
  {
    title: 'completion length',
    metrics: ['completions/mean_length_correct', 'completions/mean_length_incorrect'],
    labels: { 'completions/mean_length_correct': 'correct', 'completions/mean_length_incorrect': 'incorrect' },
  },
  {
    title: 'reward parts',
    metrics: (n) => n.startsWith('rewards/') && n.endsWith('/mean'),
    labels: Object.fromEntries(REWARD_NAMES.map((k) => [`rewards/${k}/mean`, k])),
  },
  {
    title: 'label-free',
    optional: true,
    metrics: ['pseudo_label_accuracy', 'frac_penalised'],
    labels: { pseudo_label_accuracy: 'pseudo-label acc', frac_penalised: 'penalised' },
  },
];

export function CurvesPanel() {
  const id = useId();
  const [smoothing, setSmoothing] = useState(0);
  const swiFt = useRun((s) => swiFtSwitchStep({ swiFtFraction: s.applied.model.swiFtFraction ?? 0 }, s.applied.iterations));
  // Metrics of step k come from trainer iteration k − 1, so the first RELU iteration is plotted at switch + 1.
  const marker = swiFt === null ? null : { x: swiFt + 1, label: `Swi+FT: RELU from iteration ${swiFt + 1}` };
  // Train warm-starts whenever the run has SFT steps, and an imported checkpoint stands in for them: only a run
  // set to 0 steps trains from random weights, and the curves would not say so on their own.
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
        {CHARTS.map((c) => (
          <LineChart key={c.title} spec={c} smoothing={smoothing} marker={marker} />
        ))}
      </div>
    </section>
  );
}
