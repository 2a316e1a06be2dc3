/**
 * Group-relative advantages (docs/methods.md §3.2, TRL's order): rewards of G completions per prompt, stored
 * group-contiguous; Â = r − mean(group), divided by std + 1e-4 for scale_rewards 'group' (std of the group,
 * Bessel-corrected) or 'batch' (std of every reward of the generation batch; the mean stays per group), left
 * unscaled for 'none' (Dr. GRPO).
 */

export type ScaleRewards = 'group' | 'batch' | 'none';

export interface Advantages {
  advantages: number[];
  groupMean: number[];
  groupStd: number[];
  /** Per group: every reward equal, so every advantage is 0 and the group gives no gradient. */
  zeroStd: boolean[];
}

/** What the centred rewards of one group are divided by. */
export type RewardDivisor = (groupRewards: readonly number[]) => number;

/** Bessel-corrected standard deviation (n − 1 in the denominator), 0 for fewer than two values. */
export function sampleStd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/** TRL's divisor for a scale_rewards setting; `batchRewards` are all rewards of the generation batch. */
export function rewardDivisor(scale: ScaleRewards, batchRewards: readonly number[]): RewardDivisor {
  if (scale === 'none') return () => 1;
  if (scale === 'group') return (group) => sampleStd(group) + 1e-4;
  const batch = sampleStd(batchRewards) + 1e-4;
  return () => batch;
}

/** (r − mean(group)) / divisor(group) for each reward of one group. */
export function centredRewards(group: readonly number[], divisor: RewardDivisor): number[] {
  const mean = group.reduce((a, b) => a + b, 0) / group.length;
  const d = divisor(group);
  return group.map((r) => (r - mean) / d);
}

/** Advantages of a whole generation batch (all its rewards, so that 'batch' sees every one of them). */
export function groupAdvantages(rewards: readonly number[], G: number, scale: ScaleRewards): Advantages {
  if (!Number.isInteger(G) || G < 2) throw new Error(`num_generations must be an integer ≥ 2 (got ${G})`);
  if (rewards.length % G !== 0) throw new Error(`${rewards.length} rewards do not split into groups of ${G}`);
  const divisor = rewardDivisor(scale, rewards);
  const out: Advantages = { advantages: [], groupMean: [], groupStd: [], zeroStd: [] };
  for (let g = 0; g < rewards.length / G; g++) {
    const group = rewards.slice(g * G, (g + 1) * G);
    out.groupMean.push(group.reduce((a, b) => a + b, 0) / G);
    out.groupStd.push(sampleStd(group));
    out.zeroStd.push(group.every((r) => r === group[0]));
    out.advantages.push(...centredRewards(group, divisor));
  }
  return out;
}
