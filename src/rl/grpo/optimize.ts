/**
 * One GRPO optimizer step on a minibatch: forward (replaying each rollout's stochastic-activation draws) → token
 * log-probs at the sampling temperature → clipped surrogate (per-token, or GSPO's per-sequence ratio, with the
 * optional two-sided δ cap) + KL + entropy bonus → backward → AdamW. One submission, whose statistics are read
 * after it.
 */
import { Graph } from '../../engine/autograd';
import type { Backend } from '../../engine/backend';
import { policyLoss } from '../../engine/ops/policyLoss';
import { assertFiniteStep, type AdamW } from '../../engine/optim';
import type { Tensor } from '../../engine/tensor';
import type { FfnActivation } from '../../model/config';
import { teacherForced } from '../../model/teacherForced';
import type { Transformer } from '../../model/transformer';
import type { Metrics } from '../trainer';
import { sequenceMeanWeights, type PolicyBatch } from './batch';
import type { GrpoConfig } from './config';

export interface MinibatchStep {
  be: Backend;
  policy: Transformer;
  opt: AdamW;
  cfg: GrpoConfig;
  /** This step's learning rate (the schedule is the trainer's). */
  lr: number;
  activation: FfnActivation;
  /** Names the step in errors ("GRPO iteration 3"). */
  label: string;
}

/**
 * `old`: π_old's per-row log-probs when the generation batch spans several optimizer steps (else the current
 * policy's own detached log-probs: ratio exactly 1, as TRL does); `ref`: the reference policy's when β > 0.
 */
export async function optimizeMinibatch(s: MinibatchStep, b: PolicyBatch, old: Float32Array | null, ref: Float32Array | null): Promise<Metrics> {
  const { be, cfg } = s;
  const g = new Graph(be);
  s.policy.zeroGrads(be);
  const N = b.B * b.T;
  const { logp, entropy } = teacherForced(g, s.policy, b, { temperature: cfg.temperature, activation: s.activation });
  const sequenceLevel = cfg.importance_sampling_level === 'sequence';
  const oldT: Tensor = old ? g.input(old, [N]) : logp;
  const refT: Tensor = ref ? g.input(ref, [N]) : logp;
  const stats = policyLoss(
    g,
    logp,
    {
      oldLogp: oldT,
      refLogp: refT,
      advantages: g.input(b.advantages, [N]),
      weights: g.input(b.weights, [N]),
      ...(sequenceLevel ? { sequenceMean: g.input(sequenceMeanWeights(b), [b.B, b.T]) } : {}),
    },
    { epsLow: cfg.epsilon, epsHigh: cfg.epsilon_high, beta: cfg.beta, delta: cfg.delta },
    { entropy, weights: g.input(b.entropyWeights, [N]), coef: cfg.entropy_coef },
  );
  g.backward(stats);
  s.opt.step({ lr: s.lr, maxGradNorm: cfg.max_grad_norm });
  const [rows, ent, norm] = await Promise.all([be.read(stats), be.read(entropy), be.read(s.opt.stats)]);
  g.dispose();
  let loss = 0, kl = 0, entSum = 0, tokens = 0;
  for (let i = 0; i < N; i++) {
    loss += rows[i];
    if (b.weights[i] === 0) continue;
    tokens++;
    kl += rows[N + i];
    entSum += ent[i];
  }
  const t = Math.max(1, tokens);
  const clip = clipFractions(b, rows.subarray(2 * N, 3 * N), sequenceLevel);
  loss -= cfg.entropy_coef * b.entropyWeights.reduce((a, w, i) => a + w * ent[i], 0);
  assertFiniteStep(s.label, loss, norm[0], `Lower learning_rate (${s.lr.toExponential(1)} at this step) or max_grad_norm (${cfg.max_grad_norm}), then start again`);
  return { loss, kl: kl / t, entropy: entSum / t, ...clip, grad_norm: norm[0], learning_rate: s.lr };
}

/**
 * TRL's clip fractions of one optimizer step from the kernel's per-token clip flags. Token level: low/high are
 * fractions of the counted tokens, low_min/high_max the smallest/largest per-sequence fraction over the sequences
 * with counted tokens. Sequence level: every token of a sequence shares one flag, so each is a fraction of (or
 * min/max over) the minibatch's sequences, masked ones included (their ratio is 1, never clipped).
 */
function clipFractions(b: PolicyBatch, flags: ArrayLike<number>, sequenceLevel: boolean): Metrics {
  let low = 0, high = 0, counted = 0, lowMin = Infinity, highMax = -Infinity;
  for (const rows of b.completionRows) {
    const kept = rows.filter((r) => b.weights[r] !== 0);
    const seqLow = kept.filter((r) => flags[r] < 0).length, seqHigh = kept.filter((r) => flags[r] > 0).length;
    if (sequenceLevel) {
      const [isLow, isHigh] = rows.length ? [flags[rows[0]] < 0 ? 1 : 0, flags[rows[0]] > 0 ? 1 : 0] : [0, 0];
      low += isLow;
      high += isHigh;
      counted++;
      lowMin = Math.min(lowMin, isLow);
      highMax = Math.max(highMax, isHigh);
    } else if (kept.length) {
      low += seqLow;
      high += seqHigh;
      counted += kept.length;
      lowMin = Math.min(lowMin, seqLow / kept.length);
      highMax = Math.max(highMax, seqHigh / kept.length);
    }
  }
  const n = Math.max(1, counted);
  return { low: low / n, high: high / n, low_min: Number.isFinite(lowMin) ? lowMin : 0, high_max: Number.isFinite(highMax) ? highMax : 0 };
}
