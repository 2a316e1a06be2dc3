/**
 * The training curves the app draws, metric by iteration (TRL's names where TRL has them). Each chart names the
 * algorithms that log its metrics, so a panel never shows a chart its run cannot fill; `optional` ones appear only
 * once they have data (metrics that only some settings produce).
 */
import { AGGREGATION_LIMITS } from './aggregation/config';
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
    title: 'DPO implicit rewards',
    metrics: ['rewards/chosen', 'rewards/rejected', 'rewards/margins'],
    labels: { 'rewards/chosen': 'chosen', 'rewards/rejected': 'rejected', 'rewards/margins': 'margin' },
    algorithms: ['dpo'],
  },
  { title: 'DPO reward accuracy', metrics: ['rewards/accuracies'], unit: true, algorithms: ['dpo'] },
  {
    title: 'DPO pairs',
    metrics: ['dpo/pairs', 'dpo/skipped_prompts'],
    labels: { 'dpo/pairs': 'pairs', 'dpo/skipped_prompts': 'skipped prompts' },
    algorithms: ['dpo'],
  },
  { title: 'DPO generator lag', metrics: ['dpo/generator_lag'], algorithms: ['dpo'] },
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
    title: 'self-instruct: kept fraction per filter',
    metrics: ['self_instruct/kept/answer_matching', 'self_instruct/kept/self_consistency', 'self_instruct/parsed'],
    labels: { 'self_instruct/kept/answer_matching': 'answer-matching', 'self_instruct/kept/self_consistency': 'self-consistency', 'self_instruct/parsed': 'parsed' },
    unit: true,
    algorithms: ['self-instruct'],
  },
  {
    title: 'self-instruct: stated answer right',
    metrics: ['self_instruct/stated_correct/all', 'self_instruct/stated_correct/answer_matching', 'self_instruct/stated_correct/self_consistency'],
    labels: { 'self_instruct/stated_correct/all': 'all parsed', 'self_instruct/stated_correct/answer_matching': 'kept: answer-matching', 'self_instruct/stated_correct/self_consistency': 'kept: self-consistency' },
    unit: true,
    algorithms: ['self-instruct'],
  },
  {
    title: 'self-instruct: pass rate',
    metrics: ['self_instruct/pass_rate/seed', 'self_instruct/pass_rate/synthetic', 'self_instruct/pass_rate/kept'],
    labels: { 'self_instruct/pass_rate/seed': 'seed', 'self_instruct/pass_rate/synthetic': 'synthetic', 'self_instruct/pass_rate/kept': 'kept' },
    unit: true,
    algorithms: ['self-instruct'],
  },
  {
    title: 'self-instruct: rejected proposals',
    metrics: (n) => n.startsWith('self_instruct/rejected/'),
    labels: Object.fromEntries(['record', 'no_answer', 'grammar', 'too_long'].map((r) => [`self_instruct/rejected/${r}`, r])),
    algorithms: ['self-instruct'],
  },
  {
    title: 'think budget',
    optional: true,
    metrics: ['think/auc_oaa', 'think/acc_easy', 'think/acc_hard', 'think/f1_otb'],
    labels: { 'think/auc_oaa': 'AUC_OAA (easy)', 'think/acc_easy': 'acc easy', 'think/acc_hard': 'acc hard', 'think/f1_otb': 'F1_otb' },
    dots: true,
    unit: true,
  },
  {
    title: 'think tokens',
    optional: true,
    metrics: ['think/tokens_easy', 'think/tokens_hard'],
    labels: { 'think/tokens_easy': 'easy', 'think/tokens_hard': 'hard' },
    dots: true,
  },
  {
    title: 'aggregation pass@1 by round',
    metrics: (n) => n.startsWith('aggregation/pass@1_round') || n === 'aggregation/pool_pass@m' || n === 'aggregation/majority_vote',
    labels: {
      ...Object.fromEntries(Array.from({ length: AGGREGATION_LIMITS.rounds + 1 }, (_, t) => [`aggregation/pass@1_round${t}`, t ? `round ${t}` : 'single sample'])),
      'aggregation/pool_pass@m': 'pool pass@m (ceiling)',
      'aggregation/majority_vote': 'majority vote',
    },
    dots: true,
    unit: true,
    algorithms: ['aggregation'],
  },
  {
    title: 'aggregation training',
    metrics: ['aggregation/train_pass@1', 'aggregation/train_candidate_accuracy', 'aggregation/train_pool_pass@k'],
    labels: { 'aggregation/train_pass@1': 'aggregator pass@1', 'aggregation/train_candidate_accuracy': 'candidates', 'aggregation/train_pool_pass@k': 'pool pass@k' },
    unit: true,
    algorithms: ['aggregation'],
  },
  {
    title: 'student accuracy',
    metrics: (n) => n.startsWith('student/accuracy'),
    labels: {
      'student/accuracy': 'student',
      'student/accuracy_easy': 'easy',
      'student/accuracy_hard': 'hard',
      'student/accuracy_think': 'forced think',
      'student/accuracy_no_think': 'forced no-think',
    },
    dots: true,
    unit: true,
    algorithms: ['distill'],
  },
  {
    title: 'student tokens',
    metrics: (n) => n.startsWith('student/tokens'),
    labels: { 'student/tokens': 'student', 'student/tokens_think': 'forced think', 'student/tokens_no_think': 'forced no-think' },
    dots: true,
    algorithms: ['distill'],
  },
  { title: 'student examples', metrics: ['student/examples'], algorithms: ['distill'] },
  { title: 'selected trace length', metrics: ['distill/trace_length'], algorithms: ['distill'] },
  {
    title: 'selected traces',
    metrics: ['distill/hard_share', 'distill/disagreement_share'],
    labels: { 'distill/hard_share': 'hard prompts', 'distill/disagreement_share': 'teacher ≠ second model' },
    unit: true,
    algorithms: ['distill'],
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
