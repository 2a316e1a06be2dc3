/**
 * Direct Preference Optimization over sequence log-probs (docs/dpo.md; Rafailov et al. arXiv 2305.18290, as used
 * semi-online in arXiv 2506.21495). Everything stays on the device: the trainer reads the loss and the metric
 * tensors back once, after the step.
 */
import type { Graph } from '../autograd';
import type { Tensor } from '../tensor';
import { add, mean, mul, scale, sum } from './elementwise';

export interface DpoLoss {
  /** f32 [] (one element): mean over the P pairs of −log σ(margin); the root of backward. */
  loss: Tensor;
  /** f32 [2, P]: the implicit rewards β·(log π − log π_ref), row 0 chosen (rewards/chosen), row 1 rejected (rewards/rejected). */
  rewards: Tensor;
  /** f32 [P]: chosen reward − rejected reward (rewards/margins). */
  margins: Tensor;
  /** f32 [P]: 1 where the chosen reward is above the rejected one, else 0 (rewards/accuracies); not differentiable. */
  accuracies: Tensor;
}

/**
 * Summed log-prob of each sequence's completion: tokenLogp (per row of a teacher-forced [B, T] batch, shape [B·T]
 * or [B, T]) times mask (f32 [B, T], 1 on the rows that predict a completion token, 0 elsewhere), summed over T →
 * f32 [B]. Differentiable in tokenLogp.
 */
export function maskedSequenceSum(g: Graph, tokenLogp: Tensor, mask: Tensor): Tensor {
  if (mask.shape.length !== 2 || tokenLogp.numel !== mask.numel) {
    throw new Error(`maskedSequenceSum: mask must be [B, T] with B·T = ${tokenLogp.numel} log-probs, got [${mask.shape.join(',')}]`);
  }
  return sum(g, mul(g, g.view(tokenLogp, mask.shape), mask), 1);
}

/**
 * The DPO loss of P preference pairs. policy: f32 [2, P] sequence log-probs under the trained policy (row 0 chosen,
 * row 1 rejected; differentiable); reference: the same under π_ref (treated as constants). With
 * r = β·(policy − reference), margin = r_chosen − r_rejected and loss = mean over pairs of −log σ(margin).
 * A batch whose first P rows are the chosen sequences and last P rows the rejected ones gives `policy` as
 * g.view(maskedSequenceSum(...), [2, P]).
 */
export function dpoLoss(g: Graph, policy: Tensor, reference: Tensor, beta: number): DpoLoss {
  if (policy.shape.length !== 2 || policy.shape[0] !== 2) throw new Error(`dpoLoss: policy log-probs must be [2, P] (chosen, rejected), got [${policy.shape.join(',')}]`);
  const P = policy.shape[1];
  if (P === 0) throw new Error('dpoLoss: no preference pairs');
  if (reference.shape.length !== 2 || reference.shape[0] !== 2 || reference.shape[1] !== P) {
    throw new Error(`dpoLoss: reference log-probs must be [2, ${P}] like the policy's, got [${reference.shape.join(',')}]`);
  }
  if (g.requiresGrad(reference)) throw new Error('dpoLoss: the reference log-probs must be constants (no gradient)');
  if (!(beta > 0) || !Number.isFinite(beta)) throw new Error(`dpoLoss: beta must be a positive number, got ${beta}`);

  // The reference enters through a scaled copy that records nothing (it has no gradient).
  const rewards = scale(g, add(g, policy, scale(g, reference, -1)), beta);
  const sign = new Float32Array(2 * P).fill(1, 0, P).fill(-1, P);
  const margins = sum(g, mul(g, rewards, g.input(sign, [2, P], 'f32', 'dpo.sign')), 0);
  const loss = scale(g, mean(g, logSigmoid(g, margins), 0), -1);
  return { loss, rewards, margins, accuracies: positive(g, margins) };
}

/** Differentiable elementwise log σ(x) (the fused, overflow-free kernel). */
export function logSigmoid(g: Graph, x: Tensor): Tensor {
  const out = g.alloc(x.shape, 'f32', 'logSigmoid');
  g.be.logSigmoid(x, out);
  g.record([x], out, (gradOf) => g.be.logSigmoidBackward(x, gradOf(out)!, gradOf(x)!));
  return out;
}

/** 1 where x > 0, else 0 (f32, no gradient): the slope of relu, which is exactly that indicator. */
function positive(g: Graph, x: Tensor): Tensor {
  const out = g.alloc(x.shape, 'f32', 'positive');
  const ones = g.alloc(x.shape, 'f32', 'ones');
  g.be.fill(ones, 1);
  g.be.activationBackward(x, ones, out, 'relu');
  return out;
}
