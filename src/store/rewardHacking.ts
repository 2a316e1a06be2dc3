/**
 * The reward-hacking read-out: per iteration the judge's mean score next to the gold correctness rate
 * (accuracy_train, the verifier on the same rollouts) and their gap. An iteration is flagged when the judge's
 * score rose while gold correctness fell since the previous one: the policy is pleasing the judge, not solving.
 */
import type { MetricPoint } from './runReducer';

export interface HackingPoint {
  step: number;
  judge: number;
  gold: number;
  /** judge − gold */
  gap: number;
  flagged: boolean;
}

export function hackingSeries(judge: readonly MetricPoint[] = [], gold: readonly MetricPoint[] = []): HackingPoint[] {
  const goldAt = new Map(gold.map((p) => [p.step, p.value]));
  const out: HackingPoint[] = [];
  for (const p of judge) {
    const g = goldAt.get(p.step);
    if (g === undefined) continue;
    const prev = out[out.length - 1];
    out.push({ step: p.step, judge: p.value, gold: g, gap: p.value - g, flagged: prev !== undefined && p.value > prev.judge && g < prev.gold });
  }
  return out;
}
