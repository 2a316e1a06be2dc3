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

/** Zero-masked scaled scores [B,H,T,S] of q [B,T,H,D] against the first mask.kLen keys of k. */
export function attnScores(g: Graph, q: Tensor, k: Tensor, mask: AttentionMask): Tensor {
  const [B, T, H, D] = q.shape;
  const scale = 1 / Math.sqrt(D);
  const scores = g.alloc([B, H, T, mask.kLen], 'f32', 'attn.scores');
  g.be.attnScores(q, k, scores, scale, mask);
  g.record([q, k], scores, (gradOf) => {
    const dq = gradOf(q) ?? g.alloc(q.shape, 'f32', 'attn.dqUnused');
    const dk = gradOf(k) ?? g.alloc(k.shape, 'f32', 'attn.dkUnused');
    g.be.attnScoresBackward(gradOf(scores)!, q, k, dq, dk, scale, mask);
  });
  return scores;
}

/** Masked row softmax of a [B,H,T,S] map. */
export function attnSoftmax(g: Graph, scores: Tensor, mask: AttentionMask): Tensor {
  const probs = g.alloc(scores.shape, 'f32', 'attn.probs');
  g.be.attnSoftmax(scores, probs, mask);
  g.record([scores], probs, (gradOf) => g.be.attnSoftmaxBackward(probs, gradOf(probs)!, gradOf(scores)!));
  return probs;
}

/** Probability-weighted values: probs [B,H,T,S] · v [B,S,H,D] → [B,T,H,D]. */
export function attnValues(g: Graph, probs: Tensor, v: Tensor): Tensor {
  const [B, H, T] = probs.shape;
  const out = g.alloc([B, T, H, v.shape[3]], 'f32', 'attn.out');
  g.be.attnValues(probs, v, out);
  g.record([probs, v], out, (gradOf) => {
    const dp = gradOf(probs) ?? g.alloc(probs.shape, 'f32', 'attn.dpUnused');
    const dv = gradOf(v) ?? g.alloc(v.shape, 'f32', 'attn.dvUnused');
    g.be.attnValuesBackward(gradOf(out)!, probs, v, dp, dv);
  });
  return out;
}

/** Causal attention of q [B,T,H,D] over k, v [B,S,H,D] with scale 1/sqrt(D); every stage differentiable. */
export function attention(g: Graph, q: Tensor, k: Tensor, v: Tensor, mask: AttentionMask): AttentionResult {
  const probs = attnSoftmax(g, attnScores(g, q, k, mask), mask);
  return { out: attnValues(g, probs, v), probs };
}
