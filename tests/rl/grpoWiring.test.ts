/**
 * The GRPO wiring against TRL's grpo_trainer (issue 9 §1), through GrpoTrainer.step() on a random tiny policy:
 * 'batch' reward scaling, π_old whenever a generation batch spans several optimizer steps, the entropy bonus as a
 * mean over completion tokens, and the seeded shuffle before the minibatch split (records still map back).
 */
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { presetConfig } from '../../src/model/config';
import { CharTokenizer } from '../../src/model/tokenizer';
import { Transformer } from '../../src/model/transformer';
import { sampleStd } from '../../src/rl/grpo/advantages';
import { DEFAULT_GRPO, type GrpoConfig } from '../../src/rl/grpo/config';
import { GrpoTrainer } from '../../src/rl/grpo/trainer';
import { NEUTRAL_JUDGE } from '../../src/rl/judges/biased';
import type { RewardConfig } from '../../src/rl/rewards';
import { getTask } from '../../src/rl/tasks/registry';

const task = getTask('reversal');
const tok = new CharTokenizer(task.alphabet);
/** Rewards that vary within and across groups of a random policy: the length penalty plus the format bonus. */
const VARIED: RewardConfig = { weights: { length: 1, format: 1 }, overlongCache: 2, judge: NEUTRAL_JUDGE };

function trainer(grpo: Partial<GrpoConfig>, rewards: RewardConfig = VARIED, seed = 4): GrpoTrainer {
  const be = createCpuBackend();
  const policy = Transformer.init(be, presetConfig('tiny', tok.vocabSize, { contextLength: 24 }), seed);
  const cfg: GrpoConfig = { ...DEFAULT_GRPO, num_generations: 4, prompts_per_step: 4, max_completion_length: 6, ...grpo };
  return new GrpoTrainer(be, policy, tok, task, { length: 3 }, cfg, rewards, seed, 10);
}

const byGroup = <T extends { group: number }>(rs: readonly T[]) => {
  const m = new Map<number, T[]>();
  for (const r of rs) m.set(r.group, [...(m.get(r.group) ?? []), r]);
  return [...m.values()];
};

describe('GRPO wiring (TRL semantics)', () => {
  it("scale_rewards 'batch' divides by the std of every reward of the generation batch (the mean stays per group)", async () => {
    const { rollouts } = await trainer({ scale_rewards: 'batch' }).step();
    const batchStd = sampleStd(rollouts.map((r) => r.reward));
    const groups = byGroup(rollouts);
    // The check is only telling when the group stds differ from the batch std.
    expect(groups.some((g) => Math.abs(sampleStd(g.map((r) => r.reward)) - batchStd) > 1e-3)).toBe(true);
    for (const g of groups) {
      const mean = g.reduce((a, r) => a + r.reward, 0) / g.length;
      for (const r of g) expect(r.advantage).toBeCloseTo((r.reward - mean) / (batchStd + 1e-4), 6);
    }
  });

  it('computes π_old when minibatches > 1 with num_iterations = 1, so later minibatches are clipped', async () => {
    const t = trainer({ minibatches: 2, num_iterations: 1, learning_rate: 0.05, epsilon: 1e-3, epsilon_high: 1e-3 });
    const { metrics } = await t.step();
    // The first minibatch moved the policy; the second one's ratio is no longer 1, so some tokens leave the trust region.
    expect(metrics['clip_ratio/region_mean']).toBeGreaterThan(0);
  });

  it('the entropy bonus is the mean per-token entropy over completion tokens, whatever the loss type', async () => {
    // No reward component: every advantage is 0 and β = 0, so the loss is the entropy bonus alone.
    const silent: RewardConfig = { weights: {}, overlongCache: 2, judge: NEUTRAL_JUDGE };
    for (const loss_type of ['dr_grpo', 'grpo'] as const) {
      const { metrics, rollouts } = await trainer({ loss_type, entropy_coef: 0.1 }, silent).step();
      expect(new Set(rollouts.map((r) => r.tokens.length)).size).toBeGreaterThan(1);
      expect(metrics.loss).toBeCloseTo(-0.1 * metrics.entropy, 5);
    }
  });

  it('shuffles the generation batch (seeded) before splitting it into minibatches; records map back to their rows', async () => {
    const cfg = { minibatches: 2, beta: 0.04 };
    const [a, b] = [await trainer(cfg).step(), await trainer(cfg).step()];
    const parts = a.rollouts.map((r) => r.minibatch);
    expect(parts).toEqual(b.rollouts.map((r) => r.minibatch));
    expect(parts.filter((m) => m === 0).length).toBe(parts.length / 2);
    expect(parts.filter((m) => m === 1).length).toBe(parts.length / 2);
    const contiguous = parts.map((_, i) => (i < parts.length / 2 ? 0 : 1));
    expect(parts).not.toEqual(contiguous);
    // Before the first step the reference is the sampling policy: each record's reference log-probs are its own
    // sampled log-probs, which a wrong row mapping would mix up between sequences.
    for (const r of a.rollouts) {
      expect(r.refLogprobs).not.toBeNull();
      r.refLogprobs!.forEach((lp, t) => expect(lp).toBeCloseTo(r.logprobs[t], 4));
    }
    // Another iteration draws another order.
    const t = trainer(cfg);
    await t.step();
    expect((await t.step()).rollouts.map((r) => r.minibatch)).not.toEqual(parts);
  });
});
