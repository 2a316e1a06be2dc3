import { describe, expect, it } from 'vitest';
import { groupAdvantages, rewardDivisor, sampleStd } from '../../src/rl/grpo/advantages';
import { entropyWeights, generationBatchWeights, tokenWeights } from '../../src/rl/grpo/lossWeights';
import { labelFreeBatch, majorityShare, promptWeight, restrainGroup, ttrlGroup } from '../../src/rl/grpo/restrain';

const close = (got: number[], want: number[], digits = 6) => got.forEach((g, i) => expect(g).toBeCloseTo(want[i], digits));

describe('group advantages', () => {
  // Two groups of G = 4: [1, 0, 0, 1] (mean 0.5, Bessel std sqrt(1/3)) and [1, 1, 1, 1] (zero std).
  const rewards = [1, 0, 0, 1, 1, 1, 1, 1];

  it('scale_rewards=group divides by the group std + 1e-4', () => {
    const a = groupAdvantages(rewards, 4, 'group');
    const s = Math.sqrt(1 / 3) + 1e-4;
    close(a.advantages, [0.5 / s, -0.5 / s, -0.5 / s, 0.5 / s, 0, 0, 0, 0]);
    expect(a.zeroStd).toEqual([false, true]);
    close(a.groupMean, [0.5, 1]);
  });

  it('scale_rewards=batch divides by the std of all rewards; none (Dr. GRPO) only centres', () => {
    const s = sampleStd(rewards) + 1e-4;
    expect(sampleStd(rewards)).toBeCloseTo(Math.sqrt((6 * (0.25 ** 2) + 2 * (0.75 ** 2)) / 7), 9);
    close(groupAdvantages(rewards, 4, 'batch').advantages, [0.5 / s, -0.5 / s, -0.5 / s, 0.5 / s, 0, 0, 0, 0]);
    close(groupAdvantages(rewards, 4, 'none').advantages, [0.5, -0.5, -0.5, 0.5, 0, 0, 0, 0]);
  });

  it('rejects bad group sizes', () => {
    expect(() => groupAdvantages([1, 2, 3], 2, 'group')).toThrow(/do not split into groups of 2/);
    expect(() => groupAdvantages([1], 1, 'group')).toThrow(/≥ 2/);
  });
});

describe('loss aggregation weights', () => {
  const seqs = [{ length: 2, truncated: false }, { length: 4, truncated: true }];
  const opts = { maxCompletionLength: 8, maskTruncated: false };

  it('grpo: 1/(|o_i| N); bnpo/dapo: 1/Σ|o|; dr_grpo: 1/(N·L_max)', () => {
    close(tokenWeights(seqs, 'grpo', opts), [1 / 4, 1 / 4, 1 / 8, 1 / 8, 1 / 8, 1 / 8]);
    close(tokenWeights(seqs, 'bnpo', opts), Array(6).fill(1 / 6));
    close(tokenWeights(seqs, 'dapo', { ...opts, globalTokens: 12 }), Array(6).fill(1 / 12));
    close(tokenWeights(seqs, 'dr_grpo', opts), Array(6).fill(1 / 16));
  });

  it('mask_truncated_completions zeroes truncated sequences and drops their tokens from the token normalisers', () => {
    close(tokenWeights(seqs, 'bnpo', { ...opts, maskTruncated: true }), [1 / 2, 1 / 2, 0, 0, 0, 0]);
    close(tokenWeights(seqs, 'dr_grpo', { ...opts, maskTruncated: true }), [1 / 16, 1 / 16, 0, 0, 0, 0]);
  });

  it('grpo with mask_truncated_completions still averages over all B sequences of the minibatch (TRL)', () => {
    // mean over sequences of the per-sequence token mean: the masked sequence contributes 0 but counts in B = 2.
    close(tokenWeights(seqs, 'grpo', { ...opts, maskTruncated: true }), [1 / 4, 1 / 4, 0, 0, 0, 0]);
  });

  it('splits a generation batch into its minibatches, weighted on their own except the global dapo normaliser', () => {
    const batch = [...seqs, { length: 1, truncated: false }, { length: 3, truncated: false }];
    const split = { minibatchOf: [0, 0, 1, 1], maxCompletionLength: 8, maskTruncated: false };
    expect(generationBatchWeights(batch, 'grpo', split).map((w) => w.length)).toEqual([2, 4, 1, 3]);
    close(generationBatchWeights(batch, 'grpo', split).flat(), [...tokenWeights(seqs, 'grpo', opts), 1 / 2, 1 / 6, 1 / 6, 1 / 6]);
    close(generationBatchWeights(batch, 'bnpo', split).flat(), [...Array(6).fill(1 / 6), ...Array(4).fill(1 / 4)]);
    close(generationBatchWeights(batch, 'dapo', split).flat(), Array(10).fill(1 / 10));
    close(generationBatchWeights(batch, 'dapo', { ...split, maskTruncated: true }).flat(), [1 / 6, 1 / 6, 0, 0, 0, 0, 1 / 6, 1 / 6, 1 / 6, 1 / 6]);
    // A shuffled split: sequences 0 and 3 train together, 1 and 2 together; weights stay in generation order.
    close(generationBatchWeights(batch, 'grpo', { ...split, minibatchOf: [1, 0, 0, 1] }).flat(), [1 / 4, 1 / 4, ...Array(4).fill(1 / 8), 1 / 2, 1 / 6, 1 / 6, 1 / 6]);
  });

  it('the entropy bonus weighs every unmasked completion token of a minibatch equally, whatever the loss type', () => {
    close(entropyWeights(seqs, { maskTruncated: false }), Array(6).fill(1 / 6));
    close(entropyWeights(seqs, { maskTruncated: true }), [1 / 2, 1 / 2, 0, 0, 0, 0]);
  });
});

describe('label-free advantages', () => {
  const answers = ['7', '7', '7', '5', null, '5'];

  it('TTRL takes the majority answer as the label', () => {
    const g = ttrlGroup(answers, rewardDivisor('none', []));
    expect(g.majority).toBe('7');
    close(g.advantages, [0.5, 0.5, 0.5, -0.5, -0.5, -0.5]);
  });

  it('RESTRAIN weights every answer by a Gaussian of its vote share', () => {
    const opts = { center: 1, sigma: 0.5, kappa: 2, delta: 0.3 };
    const g = restrainGroup(answers, rewardDivisor('none', []), opts);
    const g7 = Math.exp(-((0.5 - 1) ** 2) / 0.5), g5 = Math.exp(-((1 / 3 - 1) ** 2) / 0.5);
    close(g.candidates.map((c) => c.weight), [g7 / (g7 + g5), g5 / (g7 + g5)]);
    const w7 = g7 / (g7 + g5), w5 = 1 - w7;
    // advantages with label 7: [.5,.5,.5,-.5,-.5,-.5]; with label 5: rewards [0,0,0,1,0,1] mean 1/3.
    const a5 = [0, 0, 0, 1, 0, 1].map((r) => r - 1 / 3);
    close(g.advantages, [0.5, 0.5, 0.5, -0.5, -0.5, -0.5].map((a, i) => w7 * a + w5 * a5[i]));
    expect(g.penalised).toBe(false);
  });

  it('RESTRAIN penalises low-consistency groups with −δ', () => {
    const g = restrainGroup(['1', '2', '3', '4'], rewardDivisor('group', []), { center: 1, sigma: 0.3, kappa: 2, delta: 0.4 });
    expect(g.penalised).toBe(true);
    expect(g.advantages).toEqual([-0.4, -0.4, -0.4, -0.4]);
    expect(promptWeight(0.5, { center: 1, sigma: 0.5 })).toBeCloseTo(Math.exp(-0.5), 9);
    expect(majorityShare(['7', '7', null, '5'])).toBe(0.5);
    expect(majorityShare([null, null])).toBe(0);
  });
});

describe('label-free advantages of a generation batch', () => {
  const groups = [['7', '7', '7', '5'], ['1', '1', '2', '2']];

  it("scale_rewards 'batch' divides every group by the std of all pseudo-rewards of the batch (TTRL)", () => {
    const [a, b] = labelFreeBatch(groups, 'batch', ttrlGroup);
    // pseudo-rewards [1,1,1,0] and [1,1,0,0] (majority by votes, then by text: '1').
    const s = sampleStd([1, 1, 1, 0, 1, 1, 0, 0]) + 1e-4;
    close(a.advantages, [0.25, 0.25, 0.25, -0.75].map((x) => x / s));
    close(b.advantages, [0.5, 0.5, -0.5, -0.5].map((x) => x / s));
    // 'group' keeps each group's own std.
    close(labelFreeBatch(groups, 'group', ttrlGroup)[1].advantages, [0.5, 0.5, -0.5, -0.5].map((x) => x / (sampleStd([1, 1, 0, 0]) + 1e-4)));
  });

  it("RESTRAIN 'batch' divides by the std of the effective (vote-weighted) pseudo-rewards", () => {
    const opts = { center: 1, sigma: 0.5, kappa: 2, delta: 0.3 };
    const label = (answers: ReadonlyArray<string | null>, d: ReturnType<typeof rewardDivisor>) => restrainGroup(answers, d, opts);
    const unscaled = labelFreeBatch(groups, 'none', label);
    const s = sampleStd(unscaled.flatMap((g) => g.rewards)) + 1e-4;
    const scaled = labelFreeBatch(groups, 'batch', label);
    scaled.forEach((g, gi) => close(g.advantages, unscaled[gi].advantages.map((x) => x / s)));
  });
});
