/**
 * Group-relative advantages (docs/methods.md §3.2, TRL's order): rewards of G completions per prompt, stored
 * group-contiguous; Â = r − mean(group), divided by std + 1e-4 for scale_rewards 'group' (std of the group,
 * Bessel-corrected) or 'batch' (std of all rewards), left unscaled for 'none' (Dr. GRPO).
 */

export type ScaleRewards = 'group' | 'batch' | 'none';

export interface Advantages {
  advantages: number[];
  groupMean: number[];
  groupStd: number[];
  /** Per group: every reward equal, so every advantage is 0 and the group gives no gradient. */
  zeroStd: boolean[];
}

/** Bessel-corrected standard deviation (n − 1 in the denominator), 0 for fewer than two values. */
export function sampleStd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

export function groupAdvantages(rewards: readonly number[], G: number, scale: ScaleRewards): Advantages {
  if (!Number.isInteger(G) || G < 2) throw new Error(`num_generations must be an integer ≥ 2 (got ${G})`);
  if (rewards.length % G !== 0) throw new Error(`${rewards.length} rewards do not split into groups of ${G}`);
  const batchStd = sampleStd(rewards);
  const out: Advantages = { advantages: [], groupMean: [], groupStd: [], zeroStd: [] };
  for (let g = 0; g < rewards.length / G; g++) {
    const group = rewards.slice(g * G, (g + 1) * G);
    const mean = group.reduce((a, b) => a + b, 0) / G;
    const std = sampleStd(group);
    out.groupMean.push(mean);
    out.groupStd.push(std);
    out.zeroStd.push(group.every((r) => r === group[0]));
    const denom = scale === 'group' ? std + 1e-4 : scale === 'batch' ? batchStd + 1e-4 : 1;
    for (const r of group) out.advantages.push((r - mean) / denom);
  }
  return out;
}
