/** Differentiable rotary embedding and causal scaled-dot-product attention (scores → softmax → values). */
import type { Graph } from '../autograd';
import type { AttentionMask } from '../kernels';
import type { Tensor } from '../tensor';

/** RoPE on x [B,T,H,D] at positions (i32 [B,T]); its backward is the inverse rotation. */
export function rope(g: Graph, x: Tensor, positions: Tensor, theta = 10000): Tensor {
  const out = g.alloc(x.shape, 'f32', 'rope');
  g.be.rope(x, positions, out, theta, false, false);
  g.record([x], out, (gradOf) => g.be.rope(gradOf(out)!, positions, gradOf(x)!, theta, true, true));
  return out;
}

export interface AttentionResult {
  /** [B,T,H,D] */
  out: Tensor;
  /** Attention probabilities [B,H,T,S], kept for inspection (attention maps). */
  probs: Tensor;
}

/**
 * Causal attention of q [B,T,H,D] over k, v [B,S,H,D] with scale 1/sqrt(D). Scores are zero-masked, softmax
 * masks, values are the probability-weighted sum; every stage is differentiable.
 */
export function attention(g: Graph, q: Tensor, k: Tensor, v: Tensor, mask: AttentionMask): AttentionResult {
  const [B, T, H, D] = q.shape;
  const scale = 1 / Math.sqrt(D);
  const scores = g.alloc([B, H, T, mask.kLen], 'f32', 'attn.scores');
  g.be.attnScores(q, k, scores, scale, mask);
  g.record([q, k], scores, (gradOf) => {
    const dq = gradOf(q) ?? g.alloc(q.shape, 'f32', 'attn.dqUnused');
    const dk = gradOf(k) ?? g.alloc(k.shape, 'f32', 'attn.dkUnused');
    g.be.attnScoresBackward(gradOf(scores)!, q, k, dq, dk, scale, mask);
  });
  const probs = g.alloc(scores.shape, 'f32', 'attn.probs');
  g.be.attnSoftmax(scores, probs, mask);
  g.record([scores], probs, (gradOf) => g.be.attnSoftmaxBackward(probs, gradOf(probs)!, gradOf(scores)!));
  const out = g.alloc([B, T, H, D], 'f32', 'attn.out');
  g.be.attnValues(probs, v, out);
  g.record([probs, v], out, (gradOf) => {
    const dp = gradOf(probs) ?? g.alloc(probs.shape, 'f32', 'attn.dpUnused');
    const dv = gradOf(v) ?? g.alloc(v.shape, 'f32', 'attn.dvUnused');
    g.be.attnValuesBackward(gradOf(out)!, probs, v, dp, dv);
  });
  return { out, probs };
}
