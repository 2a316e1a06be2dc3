/**
 * The attention sub-block of a layer: plain causal attention, or Multi-Token Attention in the official order
 * (docs/methods.md §1.2): zero-masked scores → pre-softmax key-query convolution → pre-softmax head mixing → masked
 * softmax → post-softmax convolution (re-zeroed, no renormalisation) → post-softmax head mixing → values →
 * per-head RMSNorm (+ depth scaling) → sigmoid gate. Returns the heads concatenated, before the output projection.
 *
 * KV-cache decoding with the convolution: a new query row depends on the previous c_q−1 score rows (and c_q'−1
 * probability rows after the post-softmax convolution), so MTA layers also cache their queries and recompute
 * those extra rows, as the official code does with its cached xq; only the new rows are kept.
 */
import type { Graph } from '../engine/autograd';
import type { AttentionMask } from '../engine/kernels';
import { attnScores, attnSoftmax, attnValues } from '../engine/ops/attention';
import { add, mul, scale } from '../engine/ops/elementwise';
import { activation, embedding, rmsnorm } from '../engine/ops/layers';
import { linear, matmul } from '../engine/ops/matmul';
import { headMix, mtaConv } from '../engine/ops/mta';
import type { Tensor } from '../engine/tensor';
import type { ModelConfig } from './config';
import { mtaLayer } from './params';

export interface KvCache {
  k: Tensor[];
  v: Tensor[];
  /** Per layer: cached queries [B,Smax,H,D] for MTA convolution layers, null elsewhere. */
  q: Array<Tensor | null>;
  /** Positions already cached. */
  offset: number;
  /** i32 [B]: first real key of each (left-padded) sequence. */
  keyStart?: Tensor;
}

/** Earlier query rows an MTA layer must recompute when decoding (0 for plain layers). */
export function extraQueryRows(c: ModelConfig, l: number): number {
  const m = c.mta;
  if (!m || !mtaLayer(c, l).conv) return 0;
  return (m.preConv ? m.preConv.cq - 1 : 0) + (m.postConv ? m.postConv.cq - 1 : 0);
}

/** Rows `from..from+count` of each sequence of a [B, S, C] tensor, gathered into [B·count, C]. */
function rowsOf(g: Graph, t: Tensor, from: number, count: number): Tensor {
  const [B, S] = t.shape;
  const C = t.numel / (B * S);
  const idx = Array.from({ length: B * count }, (_, i) => Math.floor(i / count) * S + from + (i % count));
  return embedding(g, g.input(idx, [B * count], 'i32'), g.view(t, [B * S, C]));
}

export interface AttentionOutput {
  /** [B·T, C], heads concatenated. */
  out: Tensor;
  /** Attention probabilities [B,H,R,S] after MTA (R ≥ T rows when decoding recomputes earlier rows). */
  probs: Tensor;
}

/**
 * q, k, v: [B,T,H,D] for the new tokens (RoPE applied). `w` gives a layer parameter by name.
 */
export function attentionBlock(
  g: Graph,
  c: ModelConfig,
  l: number,
  w: (name: string) => Tensor,
  qkv: { q: Tensor; k: Tensor; v: Tensor },
  cache?: KvCache,
): AttentionOutput {
  const [B, T, H, D] = qkv.q.shape;
  const C = H * D;
  let { q, k, v } = qkv;
  let mask: AttentionMask = { qPos0: 0, kLen: T };
  let rows = T;
  if (cache) {
    if (g.gradEnabled) throw new Error('transformer: KV-cache decoding is inference only (use a Graph with gradients off)');
    const flat = (t: Tensor) => g.view(t, [t.shape[0], t.shape[1], C]);
    g.be.writeRows(flat(k), flat(cache.k[l]), cache.offset);
    g.be.writeRows(flat(v), flat(cache.v[l]), cache.offset);
    const qCache = cache.q[l];
    const start = qCache ? Math.max(0, cache.offset - extraQueryRows(c, l)) : cache.offset;
    if (qCache) {
      g.be.writeRows(flat(q), flat(qCache), cache.offset);
      rows = cache.offset + T - start;
      q = g.view(rowsOf(g, qCache, start, rows), [B, rows, H, D]);
    }
    [k, v] = [cache.k[l], cache.v[l]];
    mask = { qPos0: start, kLen: cache.offset + T, keyStart: cache.keyStart };
  }

  const p = `layers.${l}.attn.mta`;
  const m = c.mta;
  const { conv, mixing, path } = mtaLayer(c, l);
  let scores = attnScores(g, q, k, mask);
  if (m && conv && m.preConv) scores = mtaConv(g, scores, w(`${p}.kq_pre`), mask, m.padKey);
  if (m && mixing && m.headMixPre) scores = headMix(g, scores, w(`${p}.head_mix_pre`), { groupSize: H, layout: 'linear' });
  let probs = attnSoftmax(g, scores, mask);
  if (m && conv && m.postConv) probs = mtaConv(g, probs, w(`${p}.kq_post`), mask, m.padKey);
  if (m && mixing && m.headMixPost === 'linear') probs = headMix(g, probs, w(`${p}.head_mix_post`), { groupSize: H, layout: 'linear' });
  if (m && mixing && typeof m.headMixPost === 'number') {
    probs = headMix(g, probs, w(`${p}.head_mix_post`), { groupSize: m.headMixPost, layout: 'inOut' });
  }
  let out = attnValues(g, probs, v); // [B, rows, H, D]
  if (rows !== T) out = rowsOf(g, out, rows - T, T);
  let perHead = g.view(out, [B * T * H, D]);
  if (m && path && m.groupNorm) {
    perHead = rmsnorm(g, perHead, w(`${p}.group_norm.weight`), 1e-5);
    if (m.depthScale) perHead = scale(g, perHead, 1 - (0.8 - 0.6 * Math.exp(-0.3 * l)));
  }
  if (m && path && m.gate !== 'none') perHead = gate(g, perHead, w(`${p}.gate.weight`), w(`${p}.gate.bias`));
  return { out: g.view(perHead, [B * T, C]), probs };
}

/** out · σ(out·Wᵀ + b) per head; a 1-wide gate is broadcast over D by a product with a row of ones. */
function gate(g: Graph, x: Tensor, weight: Tensor, bias: Tensor): Tensor {
  const [N, D] = x.shape;
  const width = weight.shape[0];
  const ones = (n: number) => g.input(new Float32Array(n).fill(1), [n, 1]);
  const biasRows = matmul(g, ones(N), g.view(bias, [1, width]));
  let s = activation(g, add(g, linear(g, x, weight), biasRows), 'sigmoid');
  if (width === 1) s = matmul(g, s, g.view(ones(D), [1, D]));
  return mul(g, x, s);
}
