/**
 * One DPO optimizer step on a batch of preference pairs (docs/dpo.md): teacher-forced token log-probs of the P
 * chosen then the P rejected completions (replaying each rollout's stochastic-activation draws), summed per
 * completion → [2, P] → the DPO loss against π_ref's sums → backward → AdamW. One submission, read after it.
 * Log-probs are the model's own distribution (temperature 1), as TRL's DPOTrainer and the paper take them.
 */
import { Graph } from '../../engine/autograd';
import type { Backend } from '../../engine/backend';
import { dpoLoss, maskedSequenceSum } from '../../engine/ops/preference';
import { assertFiniteStep, type AdamW } from '../../engine/optim';
import type { FfnActivation } from '../../model/config';
import { teacherForced, teacherForcedLogprobs } from '../../model/teacherForced';
import type { Transformer } from '../../model/transformer';
import { buildPolicyBatch, type PolicyBatch, type TrainSequence } from '../grpo/batch';

/** DPO scores the whole sampled sequence under the model itself, not a tempered copy of it. */
const DPO_TEMPERATURE = 1;

/** The batch of P pairs: rows 0..P−1 the chosen sequences, rows P..2P−1 the rejected ones; every completion token counts. */
export function pairBatch(chosen: readonly TrainSequence[], rejected: readonly TrainSequence[]): PolicyBatch {
  if (chosen.length !== rejected.length || !chosen.length) throw new Error(`pair batch: ${chosen.length} chosen and ${rejected.length} rejected sequences (need the same number, at least one)`);
  const seqs = [...chosen, ...rejected];
  const ones = new Array<number>(seqs.reduce((n, s) => n + s.completion.length, 0)).fill(1);
  return buildPolicyBatch(seqs, ones, ones);
}

/** Each sequence's completion log-prob Σ_k log π(y_k | x, y_<k) under a model, without a gradient: [2P] for a pair batch. */
export async function sequenceLogprobs(be: Backend, model: Transformer, b: PolicyBatch, activation: FfnActivation): Promise<Float64Array> {
  const rows = await teacherForcedLogprobs(be, model, b, { temperature: DPO_TEMPERATURE, activation });
  return Float64Array.from(b.completionRows, (rs) => rs.reduce((sum, r) => sum + rows[r], 0));
}

export interface DpoStep {
  be: Backend;
  policy: Transformer;
  opt: AdamW;
  beta: number;
  /** This step's learning rate (the schedule is the trainer's). */
  lr: number;
  maxGradNorm: number;
  activation: FfnActivation;
  /** Names the step in errors ("DPO iteration 3"). */
  label: string;
}

/** What one step measured, per pair where per pair (TRL's DPO metrics before the update). */
export interface DpoStepResult {
  loss: number;
  grad_norm: number;
  /** [2P]: implicit rewards β·(log π − log π_ref), chosen then rejected. */
  rewards: Float32Array;
  /** [P]: chosen − rejected reward. */
  margins: Float32Array;
  /** [P]: 1 where the chosen reward is above the rejected one. */
  accuracies: Float32Array;
  /** [2P]: the policy's sequence log-probs, chosen then rejected. */
  logps: Float32Array;
}

/** One optimizer step of the policy on the DPO loss of the batch's pairs; `reference`: π_ref's sequence log-probs [2P]. */
export async function dpoStep(s: DpoStep, b: PolicyBatch, reference: ArrayLike<number>): Promise<DpoStepResult> {
  const { be } = s;
  const P = b.B / 2;
  if (reference.length !== b.B) throw new Error(`dpo step: ${reference.length} reference log-probs for ${b.B} sequences`);
  const g = new Graph(be);
  try {
    s.policy.zeroGrads(be);
    const { logp } = teacherForced(g, s.policy, b, { temperature: DPO_TEMPERATURE, activation: s.activation });
    const policyLogps = g.view(maskedSequenceSum(g, logp, g.input(b.weights, [b.B, b.T])), [2, P]);
    const out = dpoLoss(g, policyLogps, g.input(Float32Array.from(reference), [2, P]), s.beta);
    g.backward(out.loss);
    s.opt.step({ lr: s.lr, maxGradNorm: s.maxGradNorm });
    const [loss, norm, rewards, margins, accuracies, logps] = await Promise.all([
      be.read(out.loss),
      be.read(s.opt.stats),
      be.read(out.rewards),
      be.read(out.margins),
      be.read(out.accuracies),
      be.read(policyLogps),
    ]);
    assertFiniteStep(s.label, loss[0], norm[0], `Lower learning_rate (${s.lr.toExponential(1)} at this step), max_grad_norm (${s.maxGradNorm}) or dpo.beta (${s.beta}), then start again`);
    const copy = (x: ArrayLike<number>) => Float32Array.from(x);
    return { loss: loss[0], grad_norm: norm[0], rewards: copy(rewards), margins: copy(margins), accuracies: copy(accuracies), logps: copy(logps) };
  } finally {
    g.dispose();
  }
}
