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
    title: 'step judge accuracy (held out)',
    metrics: ['stepwiser/judge_accuracy', 'stepwiser/acc_positive', 'stepwiser/acc_negative'],
    labels: { 'stepwiser/judge_accuracy': 'mean of both', 'stepwiser/acc_positive': 'positive steps', 'stepwiser/acc_negative': 'negative steps' },
    dots: true,
    unit: true,
    algorithms: ['stepwiser'],
  },
  {
    title: 'accuracy with vs without chunk reset',
    metrics: ['stepwiser/acc_without_reset', 'stepwiser/acc_with_reset', 'stepwiser/acc_with_rule_reset'],
    labels: { 'stepwiser/acc_without_reset': 'no reset', 'stepwiser/acc_with_reset': 'reset, trained judge', 'stepwiser/acc_with_rule_reset': 'reset, rule judge' },
    dots: true,
    unit: true,
    algorithms: ['stepwiser'],
  },
  {
    title: 'chunk-reset steps',
    metrics: ['stepwiser/reset_accepted', 'stepwiser/reset_rejected', 'stepwiser/reset_forced'],
    labels: { 'stepwiser/reset_accepted': 'accepted', 'stepwiser/reset_rejected': 'rejected', 'stepwiser/reset_forced': 'kept anyway' },
    dots: true,
    algorithms: ['stepwiser'],
  },
  {
    title: 'step labels before / after balancing',
    metrics: ['stepwiser/pool_positive_before', 'stepwiser/pool_negative_before', 'stepwiser/pool_positive_after', 'stepwiser/pool_negative_after'],
    labels: {
      'stepwiser/pool_positive_before': 'positive before',
      'stepwiser/pool_negative_before': 'negative before',
      'stepwiser/pool_positive_after': 'positive after',
      'stepwiser/pool_negative_after': 'negative after',
    },
    algorithms: ['stepwiser'],
  },
];

/** The curves a run of this algorithm can fill. */
export function curvesFor(algorithm: Algorithm): CurveSpec[] {
  return CURVES.filter((c) => !c.algorithms || c.algorithms.includes(algorithm));
}
