/**
 * The training curves the app draws, metric by iteration (TRL's names where TRL has them). Each chart names the
 * algorithms that log its metrics, so a panel never shows a chart its run cannot fill; `optional` ones appear only
 * once they have data (metrics that only some settings produce).
 */
import { REWARD_NAMES } from './rewards';
import type { Algorithm } from './runConfig';

export interface CurveSpec {
  title: string;
  /** Metric names shown, or a predicate over every metric name (for names like pass@8). */
  metrics: string[] | ((name: string) => boolean);
  /** Legend names per metric (defaults to the metric name). */
  labels?: Record<string, string>;
  /** Held-out metrics are measured only every few iterations: draw their points too. */
  dots?: boolean;
  /** Fractions: keep the y axis at [0, 1] so runs compare at a glance. */
  unit?: boolean;
  /** Hide the chart while it has no data (metrics only some settings produce). */
  optional?: boolean;
  /** The algorithms that log these metrics (every one when absent). */
  algorithms?: readonly Algorithm[];
}

export const CURVES: CurveSpec[] = [
  { title: 'reward', metrics: ['reward'] },
  { title: 'held-out accuracy', metrics: (n) => n === 'accuracy' || n.startsWith('pass@'), labels: { accuracy: 'greedy' }, dots: true, unit: true },
  { title: 'train accuracy', metrics: ['accuracy_train'], unit: true },
  { title: 'kl', metrics: ['kl'], algorithms: ['grpo'], optional: true },
  { title: 'entropy', metrics: ['entropy'] },
  { title: 'loss', metrics: ['loss'] },
  { title: 'grad_norm', metrics: ['grad_norm'] },
  {
    title: 'clip ratio',
    metrics: ['clip_ratio/low_mean', 'clip_ratio/high_mean'],
    labels: { 'clip_ratio/low_mean': 'low', 'clip_ratio/high_mean': 'high' },
    algorithms: ['grpo'],
  },
  { title: 'frac_reward_zero_std', metrics: ['frac_reward_zero_std'], unit: true, algorithms: ['grpo'] },
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
    algorithms: ['grpo'],
  },
  {
    title: 'J1 judge: train batch',
    metrics: ['j1/consistent_accuracy', 'j1/accuracy_ab', 'j1/accuracy_ba'],
    labels: { 'j1/consistent_accuracy': 'consistent', 'j1/accuracy_ab': 'order ab', 'j1/accuracy_ba': 'order ba' },
    unit: true,
    optional: true,
    algorithms: ['j1', 'onpolicy-rm'],
  },
  {
    title: 'J1 judge: held-out pairs',
    metrics: ['j1/heldout_consistent_accuracy', 'j1/heldout_accuracy_ab', 'j1/heldout_accuracy_ba'],
    labels: { 'j1/heldout_consistent_accuracy': 'consistent', 'j1/heldout_accuracy_ab': 'order ab', 'j1/heldout_accuracy_ba': 'order ba' },
    dots: true,
    unit: true,
    algorithms: ['j1', 'onpolicy-rm'],
  },
  {
    title: 'J1 judge: flips and malformed',
    metrics: ['j1/flip_rate', 'j1/heldout_flip_rate', 'j1/malformed_rate'],
    labels: { 'j1/flip_rate': 'flip (train)', 'j1/heldout_flip_rate': 'flip (held-out)', 'j1/malformed_rate': 'malformed (train)' },
    unit: true,
    optional: true,
    algorithms: ['j1', 'onpolicy-rm'],
  },
  {
    title: 'judge reward vs gold',
    metrics: ['rewards/model_judge/mean', 'accuracy_train'],
    labels: { 'rewards/model_judge/mean': 'judge reward', accuracy_train: 'gold (verifier)' },
    unit: true,
    algorithms: ['onpolicy-rm'],
  },
];

/** The curves a run of this algorithm can fill. */
export function curvesFor(algorithm: Algorithm): CurveSpec[] {
  return CURVES.filter((c) => !c.algorithms || c.algorithms.includes(algorithm));
}
