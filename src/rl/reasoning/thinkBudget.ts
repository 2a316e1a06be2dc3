/**
 * Think-budget metrics after OptimalThinkingBench (arXiv 2508.13141), scaled to toy lengths; docs/reasoning.md
 * defines each one. A sample is one graded completion: its split, whether it is correct, and its think tokens.
 *   OAA_t      = mean over samples of correct · 1[think < t]           (overthinking-adjusted accuracy)
 *   AUC_OAA    = mean over samples of correct · max(0, t_max − think) / t_max   (the area under OAA_t / t_max)
 *   Acc_hard   = accuracy on the hard split
 *   F1_otb     = 2 · AUC_OAA · Acc_hard / (AUC_OAA + Acc_hard), 0 when both are 0
 * AUC_OAA is taken on the easy split, where thinking is overthinking.
 */
import { THINK_CLOSE, THINK_OPEN } from '../tasks/think';
import type { TaskSplit } from '../tasks/types';

export interface ThinkSample {
  split: TaskSplit;
  correct: boolean;
  thinkTokens: number;
}

export interface SplitSummary {
  count: number;
  /** NaN when the split has no samples. */
  accuracy: number;
  meanThinkTokens: number;
}

export interface ThinkBudgetReport {
  aucOaaEasy: number;
  accuracyHard: number;
  f1Otb: number;
  perSplit: Record<TaskSplit, SplitSummary>;
}

/** The whole report: AUC_OAA on the easy split, accuracy on the hard split, F1_otb, and a summary per split. */
export function thinkBudgetReport(samples: readonly ThinkSample[], tMax: number): ThinkBudgetReport {
  const easy = samples.filter((s) => s.split === 'easy');
  const hard = samples.filter((s) => s.split === 'hard');
  if (!easy.length || !hard.length) throw new Error(`think budget: need samples of both splits (got ${easy.length} easy, ${hard.length} hard)`);
  const aucOaaEasy = aucOaa(easy, tMax);
  const accuracyHard = accuracy(hard);
  return { aucOaaEasy, accuracyHard, f1Otb: f1Otb(aucOaaEasy, accuracyHard), perSplit: splitSummary(samples) };
}

/**
 * Think tokens of a completion (one character is one token): those between '{' and the first '}'. With no '}',
 * an open '{' thought to the end; with no '{', the tokens before a '}' count (a scratchpad the prompt opened), and
 * an answer-only completion has none.
 */
export function thinkTokens(completion: string): number {
  const chars = [...completion];
  const open = chars.indexOf(THINK_OPEN);
  const close = chars.indexOf(THINK_CLOSE);
  const start = open >= 0 && (close < 0 || open < close) ? open + 1 : 0;
  const end = close >= start ? close : open >= 0 ? chars.length : 0;
  return Math.max(0, end - start);
}

/** OAA_t for each t in `ts`: the share of samples that are correct with fewer than t think tokens. */
export function oaaCurve(samples: readonly Omit<ThinkSample, 'split'>[], ts: readonly number[]): number[] {
  nonEmpty(samples, 'OAA_t');
  return ts.map((t) => samples.filter((s) => s.correct && s.thinkTokens < t).length / samples.length);
}

/** AUC_OAA = mean of correct · max(0, t_max − think) / t_max. */
export function aucOaa(samples: readonly Omit<ThinkSample, 'split'>[], tMax: number): number {
  nonEmpty(samples, 'AUC_OAA');
  if (!(tMax > 0)) throw new Error(`think budget: t_max must be positive (got ${tMax})`);
  return samples.reduce((sum, s) => sum + (s.correct ? Math.max(0, tMax - s.thinkTokens) / tMax : 0), 0) / samples.length;
}

export function accuracy(samples: readonly { correct: boolean }[]): number {
  nonEmpty(samples, 'accuracy');
  return samples.filter((s) => s.correct).length / samples.length;
}

/** Harmonic mean of AUC_OAA and Acc_hard; 0 when both are 0. */
export function f1Otb(aucOaaEasy: number, accuracyHard: number): number {
  const sum = aucOaaEasy + accuracyHard;
  return sum === 0 ? 0 : (2 * aucOaaEasy * accuracyHard) / sum;
}

/** Accuracy and mean think tokens of each split (NaN for a split without samples). */
export function splitSummary(samples: readonly ThinkSample[]): Record<TaskSplit, SplitSummary> {
  const summary = (split: TaskSplit): SplitSummary => {
    const of = samples.filter((s) => s.split === split);
    const mean = (f: (s: ThinkSample) => number) => (of.length ? of.reduce((a, s) => a + f(s), 0) / of.length : NaN);
    return { count: of.length, accuracy: mean((s) => (s.correct ? 1 : 0)), meanThinkTokens: mean((s) => s.thinkTokens) };
  };
  return { easy: summary('easy'), hard: summary('hard') };
}

function nonEmpty(samples: readonly unknown[], what: string): void {
  if (!samples.length) throw new Error(`think budget: ${what} of no samples`);
}
