/**
 * What one pass of the model costs, from its config and the batch shape alone (no backend, nothing allocated):
 * bytes of the tensors the engine allocates and matmul FLOPs. The resource guard (src/rl/resourceGuard.ts) sums
 * these over a run; tests check them against the tensors the backends really allocate.
 *
 * The counts follow the code: every op allocates its output from the graph (transformer.ts, attentionBlock.ts,
 * src/engine/ops), a training graph adds one gradient buffer per tracked output, and nothing is freed before the
 * graph is disposed. Shapes: B sequences, T new positions each, attending to S keys (S = T when training).
 */
import type { ModelConfig } from './config';
import { mtaLayer, parameterShapes } from './params';

/** Every tensor is f32 or i32/u32. */
export const BYTES_PER_ELEMENT = 4;

export function parameterCount(c: ModelConfig): number {
  return parameterShapes(c).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
}

/** Parameter elements that go through matmuls (all but norm gains and MTA kernels): 2 FLOPs each per token. */
function matmulParameters(c: ModelConfig): number {
  return parameterShapes(c).reduce((n, p) => (p.kind === 'matrix' || p.kind === 'residualOut' || p.kind === 'gate' ? n + p.shape.reduce((a, b) => a * b, 1) : n), 0);
}

export interface PassShape {
  B: number;
  /** New positions per sequence. */
  T: number;
  /** Keys each query attends to (T for a full-sequence pass; the cache length when decoding). */
  S: number;
}

/** Elements allocated by one forward, split into what a training graph tracks (gets a gradient) and what it does not. */
function forwardElements(c: ModelConfig, { B, T, S }: PassShape): { tracked: number; untracked: number } {
  const N = B * T, C = c.nEmbd, F = c.ffnHidden, H = c.nHead, D = C / H;
  const scores = B * H * T * S;
  let tracked = N * C; // embedding
  let untracked = 2 * N; // ids, positions
  if (c.activation === 'stochA') untracked += B; // per-sequence activation seeds
  for (let l = 0; l < c.nLayer; l++) {
    // norm, q, rope(q), k, rope(k), v, attention out, wo, residual add, norm, w2, residual add
    tracked += 12 * N * C + 2 * scores + 2 * N * F;
    untracked += 2 * N; // the two norms' per-row 1/rms
    if (c.ffn === 'gated') tracked += 2 * N * F;
    const m = c.mta;
    if (!m) continue;
    const { conv, mixing, path } = mtaLayer(c, l);
    if (conv && m.preConv) tracked += scores;
    if (conv && m.postConv) tracked += scores;
    if (mixing && m.headMixPre) tracked += scores;
    if (mixing && m.headMixPost !== 'none') tracked += scores;
    if (path && m.groupNorm) {
      tracked += N * C;
      untracked += N * H;
      if (m.depthScale) tracked += N * C;
    }
    if (path && m.gate !== 'none') {
      const width = m.gate === '1d' ? 1 : D;
      // bias rows, x·Wᵀ, their sum, sigmoid, (1-wide: broadcast over D), the gated product
      tracked += 4 * N * H * width + (width === 1 ? N * H * D : 0) + N * C;
      untracked += N * H + (width === 1 ? D : 0);
    }
  }
  tracked += N * C + N * c.vocabSize; // final norm, logits
  untracked += N;
  return { tracked, untracked };
}

/** Bytes a training graph holds at its peak (after backward): the forward, one gradient per tracked output, the loss. */
export function trainStepBytes(c: ModelConfig, B: number, T: number, loss: 'sft' | 'grpo', opts: { oldLogp?: boolean; refLogp?: boolean } = {}): number {
  const N = B * T;
  const f = forwardElements(c, { B, T, S: T });
  let elements = 2 * f.tracked + f.untracked;
  if (loss === 'sft') {
    // loss rows + their gradient (the root), the fused d(logits), targets and weights
    elements += 2 * N + N * c.vocabSize + 2 * N;
  } else {
    if (c.activation !== 'stochA') elements += B; // the trainer always passes activation seeds
    // logp, entropy and their gradients; loss stats [3,N] and the root gradient; d(logp); targets, weights, advantages
    elements += 4 * N + 6 * N + N + 3 * N;
    if (opts.oldLogp) elements += N;
    if (opts.refLogp) elements += N;
  }
  return elements * BYTES_PER_ELEMENT;
}

/** KV cache of a rollout: keys and values (and queries of MTA convolution layers) for every position. */
export function kvCacheBytes(c: ModelConfig, B: number, positions: number): number {
  let caches = 2 * c.nLayer;
  for (let l = 0; l < c.nLayer; l++) if (c.mta && mtaLayer(c, l).conv) caches++;
  return caches * B * positions * c.nEmbd * BYTES_PER_ELEMENT;
}

/**
 * Bytes a batched rollout holds at its peak: the cache, its outputs, the prefill's forward graph and the first
 * decode step's (later steps hold two one-token graphs at a time, which is less).
 */
export function rolloutBytes(c: ModelConfig, B: number, promptLength: number, newTokens: number): number {
  // The prefill attends over the prompt only (the cache is empty before it).
  const prefill = forwardElements(c, { B, T: promptLength, S: promptLength });
  const outputs = 3 * newTokens * B + 2 * B; // tokens, log-probs, entropies; key starts, activation seeds
  const lastRows = B + B * c.vocabSize; // the gather of each prompt's last logits row
  const firstStep = 3 * B; // sampled tokens, their log-prob and entropy
  // The first decode step's graph is built before the prefill's is released.
  const decode = newTokens > 1 ? forwardElements(c, { B, T: 1, S: promptLength + 1 }) : { tracked: 0, untracked: 0 };
  const held = prefill.tracked + prefill.untracked + outputs + lastRows + firstStep + decode.tracked + decode.untracked;
  return kvCacheBytes(c, B, promptLength + newTokens) + held * BYTES_PER_ELEMENT;
}

/** Matmul FLOPs of a forward over B sequences of T new positions attending to S keys (2 per multiply-add). */
export function forwardFlops(c: ModelConfig, { B, T, S }: PassShape): number {
  const N = B * T;
  // q·kᵀ and probs·v: 2 · (B·H·T·S·D) each
  const attention = c.nLayer * 4 * B * T * S * c.nEmbd;
  return 2 * N * matmulParameters(c) + attention;
}

/** Forward + backward (the backward does two matmuls per forward matmul). */
export function trainStepFlops(c: ModelConfig, B: number, T: number): number {
  return 3 * forwardFlops(c, { B, T, S: T });
}

/** A rollout: the prefill, then one-token steps against a growing cache. */
export function rolloutFlops(c: ModelConfig, B: number, promptLength: number, newTokens: number): number {
  let flops = forwardFlops(c, { B, T: promptLength, S: promptLength });
  for (let s = 1; s < newTokens; s++) flops += forwardFlops(c, { B, T: 1, S: promptLength + s });
  return flops;
}
