/**
 * Teacher-forced token log-probs of a batch of sequences: one full-sequence forward that replays each
 * sequence's stochastic-activation draws, then log π(target) and the entropy per row at the sampling
 * temperature. The trainers' losses, their old/reference log-probs and the inspector's current log-probs all
 * come from here, so a ratio exp(logp − sampled logp) is 1 up to float error until an update moves the weights.
 */
import { Graph } from '../engine/autograd';
import type { Backend } from '../engine/backend';
import { tokenLogprobs, type TokenLogprobs } from '../engine/ops/loss';
import type { FfnActivation } from './config';
import type { Transformer } from './transformer';

/** B sequences of T rows each, flattened row-major: row t of sequence b predicts targets[b·T + t]. */
export interface TeacherForcedBatch {
  B: number;
  T: number;
  ids: ArrayLike<number>;
  positions: ArrayLike<number>;
  targets: ArrayLike<number>;
  /** Per-sequence seeds of the stochastic-activation draws the sequence was sampled with. */
  actSeeds: ArrayLike<number>;
}

export interface TeacherForcedOptions {
  temperature: number;
  activation: FfnActivation;
}

/** Differentiable per-row log-probs and entropies [B·T] of the batch's targets under the model. */
export function teacherForced(g: Graph, model: Transformer, b: TeacherForcedBatch, opts: TeacherForcedOptions): TokenLogprobs {
  const { logits } = model.forward(g, g.input(b.ids, [b.B, b.T], 'i32'), g.input(b.positions, [b.B, b.T], 'i32'), {
    actSeeds: g.input(b.actSeeds, [b.B], 'i32'),
    activation: opts.activation,
  });
  return tokenLogprobs(g, logits, g.input(b.targets, [b.B * b.T], 'i32'), opts.temperature);
}

/** The per-row log-probs read back, without a gradient (old-policy, reference and inspector log-probs). */
export async function teacherForcedLogprobs(be: Backend, model: Transformer, b: TeacherForcedBatch, opts: TeacherForcedOptions): Promise<Float32Array> {
  const g = new Graph(be, false);
  try {
    const { logp } = teacherForced(g, model, b, opts);
    return Float32Array.from((await be.read(logp)) as Float32Array);
  } finally {
    g.dispose();
  }
}
