/**
 * Label-free advantages (docs/methods.md §5; g's form and the defaults are ours, not the paper's). TTRL: the majority answer of a group is the pseudo-label. RESTRAIN:
 * every distinct answer a_j is a pseudo-label with weight w_j ∝ g(f_j), g(f) = exp(−(f − k)² / (2σ²)) of its
 * vote share f_j; the effective advantage of rollout i is Σ_j w_j A_ij (exact for μ = 1, where the loss is
 * linear in the advantage); groups whose majority count is below κ get every reward 0 and advantage −δ.
 * Unparseable answers (null) vote for nothing. Each label's centred rewards are divided as scale_rewards says; for
 * 'batch' the divisor is the std of the effective pseudo-rewards of the whole generation batch (labelFreeBatch).
 */
import { centredRewards, rewardDivisor, type RewardDivisor, type ScaleRewards } from './advantages';

export interface RestrainOptions {
  /** Centre k of the Gaussian vote-share shaping. */
  center: number;
  /** Bandwidth σ. */
  sigma: number;
  /** Minimum majority count κ; below it the group is penalised. */
  kappa: number;
  /** Advantage offset δ for penalised groups. */
  delta: number;
  /** Scale each prompt's advantages by u_x = g(majority share of the frozen initial policy's answers). */
  promptWeights?: boolean;
}

export interface LabelFreeGroup {
  /** Distinct answers with their votes and weights (weights sum to 1; TTRL puts all weight on the majority). */
  candidates: Array<{ answer: string; votes: number; weight: number }>;
  majority: string | null;
  majorityCount: number;
  penalised: boolean;
  /** Effective pseudo-reward per rollout: Σ_j w_j [answer = a_j] (0 throughout a penalised group). */
  rewards: number[];
  /** Effective advantage per rollout. */
  advantages: number[];
}

/** A label-free mode: the pseudo-labels of one group and its advantages under a divisor. */
export type Labeller = (answers: ReadonlyArray<string | null>, divisor: RewardDivisor) => LabelFreeGroup;

/**
 * Every group of a generation batch. The effective advantage Σ_j w_j (r_j − mean r_j) / s is linear in the
 * pseudo-rewards, so one batch-wide s is the std of the effective pseudo-rewards of all groups.
 */
export function labelFreeBatch(answers: ReadonlyArray<ReadonlyArray<string | null>>, scale: ScaleRewards, label: Labeller): LabelFreeGroup[] {
  if (scale !== 'batch') return answers.map((a) => label(a, rewardDivisor(scale, [])));
  const unscaled = answers.map((a) => label(a, rewardDivisor('none', [])));
  const divisor = rewardDivisor('batch', unscaled.flatMap((g) => g.rewards));
  return answers.map((a) => label(a, divisor));
}

function votes(answers: ReadonlyArray<string | null>): Array<{ answer: string; votes: number }> {
  const counts = new Map<string, number>();
  for (const a of answers) if (a !== null) counts.set(a, (counts.get(a) ?? 0) + 1);
  // Deterministic order: most votes first, then the answer text.
  return [...counts].map(([answer, v]) => ({ answer, votes: v })).sort((x, y) => y.votes - x.votes || (x.answer < y.answer ? -1 : 1));
}

const rewardsFor = (answers: ReadonlyArray<string | null>, label: string) => answers.map((a) => (a === label ? 1 : 0));

export function ttrlGroup(answers: ReadonlyArray<string | null>, divisor: RewardDivisor): LabelFreeGroup {
  const cands = votes(answers);
  const top = cands[0];
  const rewards = top ? rewardsFor(answers, top.answer) : answers.map(() => 0);
  return {
    candidates: cands.map((c, i) => ({ ...c, weight: i === 0 ? 1 : 0 })),
    majority: top?.answer ?? null,
    majorityCount: top?.votes ?? 0,
    penalised: false,
    rewards,
    advantages: top ? centredRewards(rewards, divisor) : answers.map(() => 0),
  };
}

export function restrainGroup(answers: ReadonlyArray<string | null>, divisor: RewardDivisor, opts: RestrainOptions): LabelFreeGroup {
  const n = answers.length;
  const cands = votes(answers);
  const shaped = cands.map((c) => Math.exp(-((c.votes / n - opts.center) ** 2) / (2 * opts.sigma ** 2)));
  const total = shaped.reduce((a, b) => a + b, 0);
  const candidates = cands.map((c, j) => ({ ...c, weight: total > 0 ? shaped[j] / total : 0 }));
  const majorityCount = cands[0]?.votes ?? 0;
  const penalised = majorityCount < opts.kappa;
  const rewards = answers.map(() => 0);
  const advantages = answers.map(() => (penalised ? -opts.delta : 0));
  // A penalised group's rewards are zeroed, so its centred rewards vanish and only the −δ offset remains.
  if (!penalised) {
    for (const c of candidates) {
      const r = rewardsFor(answers, c.answer);
      const a = centredRewards(r, divisor);
      a.forEach((v, i) => {
        advantages[i] += c.weight * v;
        rewards[i] += c.weight * r[i];
      });
    }
  }
  return { candidates, majority: cands[0]?.answer ?? null, majorityCount, penalised, rewards, advantages };
}

/** Majority share c/n of a list of answers (null answers count in n but vote for nothing). */
export function majorityShare(answers: ReadonlyArray<string | null>): number {
  const top = votes(answers)[0];
  return top ? top.votes / answers.length : 0;
}

/** Prompt weight u_x = g(c_ref / n) from the frozen reference policy's majority share. */
export function promptWeight(refMajorityShare: number, opts: Pick<RestrainOptions, 'center' | 'sigma'>): number {
  return Math.exp(-((refMajorityShare - opts.center) ** 2) / (2 * opts.sigma ** 2));
}
