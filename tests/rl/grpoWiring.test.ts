/**
 * The GRPO wiring against TRL's grpo_trainer (issue 9 §1), through GrpoTrainer.step() on a random tiny policy:
 * 'batch' reward scaling, π_old whenever a generation batch spans several optimizer steps, the entropy bonus as a
 * mean over completion tokens, the seeded shuffle before the minibatch split (records still map back), GSPO's
 * sequence-level ratio, and TRL's metrics (kl only with β > 0, num_tokens, mean_terminated_length, low_min/high_max).
 */
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { presetConfig } from '../../src/model/config';
import { CharTokenizer } from '../../src/model/tokenizer';
import { Transformer } from '../../src/model/transformer';
import { readWeights } from '../../src/model/weights';
import { sampleStd } from '../../src/rl/grpo/advantages';
import type { TrainSequence } from '../../src/rl/grpo/batch';
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

  it('GSPO with one optimizer step per batch is plain GRPO: ratio 1, the same loss and the same update', async () => {
    // Every loss type weights a sequence's tokens equally, so spreading the sequence's gradient over its mean
    // log-ratio gives each token exactly GRPO's gradient.
    for (const loss_type of ['grpo', 'dr_grpo'] as const) {
      const [grpo, gspo] = [trainer({ loss_type }), trainer({ loss_type, importance_sampling_level: 'sequence' })];
      const [a, b] = [await grpo.step(), await gspo.step()];
      expect(b.metrics.loss).toBeCloseTo(a.metrics.loss, 6);
      expect(a.metrics.loss).not.toBe(0);
      const [wa, wb] = [await readWeights(grpo.be, grpo.policy), await readWeights(gspo.be, gspo.policy)];
      // Equal up to float32 rounding of m·Σw against w, which AdamW's first step (≈ lr·sign(g)) can amplify where a
      // gradient element nearly cancels: 1 % of the learning rate (measured 2e-6).
      let worst = 0;
      for (const [name, v] of wa) v.forEach((x, i) => (worst = Math.max(worst, Math.abs(wb.get(name)![i] - x))));
      expect(worst).toBeLessThan(1e-5);
    }
  });

  it('GSPO off-policy: each sequence takes one ratio and one clip decision, unlike per-token GRPO', async () => {
    const cfg = { num_iterations: 2, learning_rate: 0.05, epsilon: 0.02, epsilon_high: 0.02 } as const;
    const B = 4 * 4;
    const seqs = async (level: 'token' | 'sequence') => {
      const t = trainer({ ...cfg, importance_sampling_level: level });
      const { rollouts } = await t.step();
      const again = rollouts.map((r): TrainSequence => ({ prompt: tok.encode(r.prompt), completion: r.tokens, truncated: r.truncated, advantage: r.advantage, actSeed: r.actSeed }));
      // learn() again on the same batch: its second optimizer step is off-policy.
      return (await t.learn(again, t.minibatchOrder(B))).steps[1];
    };
    const [perToken, perSeq] = [await seqs('token'), await seqs('sequence')];
    // Sequence level: clip fractions count whole sequences (multiples of 1/B), min/max are 0 or 1 per step.
    expect(perSeq.low + perSeq.high).toBeGreaterThan(0);
    for (const k of ['low', 'high'] as const) expect(Number.isInteger(Math.round(perSeq[k] * B * 1e6) / 1e6)).toBe(true);
    for (const k of ['low_min', 'high_max'] as const) expect([0, 1]).toContain(perSeq[k]);
    // Token level on the same data clips single tokens: its fractions are not whole sequences.
    expect(perToken.low + perToken.high).toBeGreaterThan(0);
    expect(perToken.high_max).toBeGreaterThan(0);
    expect(perSeq.loss).not.toBeCloseTo(perToken.loss, 4);
  });

  it("logs TRL's metrics: kl only when β > 0, cumulative num_tokens, mean_terminated_length, clip_ratio low_min/high_max", async () => {
    const plain = trainer({});
    const first = await plain.step();
    expect(first.metrics).not.toHaveProperty('kl');
    const seen = (rs: typeof first.rollouts) => rs.reduce((n, r) => n + 1 + tok.encode(r.prompt).length + r.tokens.length, 0);
    expect(first.metrics.num_tokens).toBe(seen(first.rollouts));
    const second = await plain.step();
    expect(second.metrics.num_tokens).toBe(seen(first.rollouts) + seen(second.rollouts));
    const terminated = second.rollouts.filter((r) => !r.truncated).map((r) => r.tokens.length);
    expect(terminated.length).toBeGreaterThan(0);
    expect(second.metrics['completions/mean_terminated_length']).toBeCloseTo(terminated.reduce((a, b) => a + b, 0) / terminated.length, 9);
    for (const k of ['clip_ratio/low_min', 'clip_ratio/high_max']) expect(second.metrics[k]).toBe(0); // on-policy: ratio 1
    const withKl = await trainer({ beta: 0.04 }).step();
    expect(withKl.metrics.kl).toBeGreaterThanOrEqual(0);
  });
});
