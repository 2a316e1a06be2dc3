/**
 * The think-budget part of a held-out evaluation (docs/reasoning.md §7): from graded completions of a task whose
 * instances carry a split, the metrics the experiment logs and the two figures the app draws.
 *   think/auc_oaa     AUC_OAA on the easy split            think/acc_easy, think/acc_hard   accuracy per split
 *   think/f1_otb      F1_otb of the two (both splits)      think/tokens_easy, think/tokens_hard   mean think tokens
 * A split without samples (hardPercent 0 or 100) logs none of its metrics, and F1_otb needs both.
 */
import type { Plot, PlotPoint } from '../plots';
import type { TaskSplit } from '../tasks/types';
import type { Metrics } from '../trainer';
import { aucOaa, f1Otb, oaaCurve, splitSummary, type ThinkSample } from './thinkBudget';

export const OAA_PLOT_ID = 'think/oaa';
export const ACCURACY_BY_THINK_PLOT_ID = 'think/accuracy_by_tokens';

export interface ThinkEvaluation {
  metrics: Metrics;
  plots: Plot[];
}

export function thinkEvaluation(samples: readonly ThinkSample[], tMax: number): ThinkEvaluation {
  const perSplit = splitSummary(samples);
  const easy = samples.filter((s) => s.split === 'easy');
  const metrics: Metrics = {};
  for (const split of ['easy', 'hard'] as const) {
    if (!perSplit[split].count) continue;
    metrics[`think/acc_${split}`] = perSplit[split].accuracy;
    metrics[`think/tokens_${split}`] = perSplit[split].meanThinkTokens;
  }
  if (easy.length) metrics['think/auc_oaa'] = aucOaa(easy, tMax);
  if (easy.length && perSplit.hard.count) metrics['think/f1_otb'] = f1Otb(metrics['think/auc_oaa'], perSplit.hard.accuracy);
  return { metrics, plots: [oaaPlot(samples, tMax), accuracyByThinkPlot(samples)] };
}

const SPLITS: readonly TaskSplit[] = ['easy', 'hard'];

/** OAA_t for t = 0 … t_max per split: on the easy split its area / t_max is AUC_OAA; on hard it shows what a budget costs. */
function oaaPlot(samples: readonly ThinkSample[], tMax: number): Plot {
  const ts = Array.from({ length: tMax + 1 }, (_, t) => t);
  const series = SPLITS.flatMap((split) => {
    const of = samples.filter((s) => s.split === split);
    if (!of.length) return [];
    const oaa = oaaCurve(of, ts);
    return [{ label: split, points: ts.map((t, i) => ({ x: t, y: oaa[i] })) }];
  });
  return { id: OAA_PLOT_ID, title: 'OAA_t: correct within t think tokens', xLabel: 'think budget t (tokens)', yLabel: 'OAA_t', kind: 'line', unit: true, series };
}

/** Accuracy of the samples with each think-token count, per split (a count's point exists when samples have it). */
function accuracyByThinkPlot(samples: readonly ThinkSample[]): Plot {
  const series = SPLITS.flatMap((split) => {
    const byTokens = new Map<number, { n: number; correct: number }>();
    for (const s of samples) {
      if (s.split !== split) continue;
      const bin = byTokens.get(s.thinkTokens) ?? { n: 0, correct: 0 };
      bin.n++;
      if (s.correct) bin.correct++;
      byTokens.set(s.thinkTokens, bin);
    }
    const points: PlotPoint[] = [...byTokens].sort(([a], [b]) => a - b).map(([x, b]) => ({ x, y: b.correct / b.n }));
    return points.length ? [{ label: split, points }] : [];
  });
  return { id: ACCURACY_BY_THINK_PLOT_ID, title: 'accuracy by think tokens', xLabel: 'think tokens', yLabel: 'accuracy', kind: 'line', unit: true, series };
}
