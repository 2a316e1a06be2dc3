/**
 * Batched sampling with a KV cache. Prompts are left-padded to a common length (their padding masked through
 * `keyStart`, positions counted from each prompt's first real token); the prefill and every decode step —
 * sampling, log-prob and entropy included — are recorded on the backend with no read-back, and the results are
 * read once at the end. On WebGPU a whole rollout is therefore one submission.
 *
 * All sequences run for maxNewTokens steps; each completion is cut after its first EOS on the host, and one
 * that never emits EOS is marked truncated.
 */
import { Graph } from '../engine/autograd';
import type { Backend } from '../engine/backend';
import type { SampleOptions } from '../engine/kernels';
import { embedding } from '../engine/ops/layers';
import { tokenLogprobs } from '../engine/ops/loss';
import { hashKey } from '../engine/rng';
import { ACT_SEED_COUNTER } from '../engine/streams';
import type { Tensor } from '../engine/tensor';
import type { FfnActivation } from './config';
import { EOS, PAD } from './tokenizer';
import type { Transformer } from './transformer';

export interface GenerateOptions extends SampleOptions {
  maxNewTokens: number;
  /** RNG seed of the sampling draws (stream and counters are derived per step and row). */
  seed: number;
  /** RNG stream, e.g. the training iteration, so successive rollouts differ. */
  stream?: number;
  /** FFN activation while sampling (defaults to the model's training activation). */
  activation?: FfnActivation;
}

/** Per-sequence seeds of the stochastic-activation draws, recorded on each rollout for exact replay. */
function activationSeeds(opts: GenerateOptions, batch: number): number[] {
  return Array.from({ length: batch }, (_, b) => hashKey(opts.seed, opts.stream ?? 0, ACT_SEED_COUNTER + b) & 0x7fffffff);
}

export interface Rollout {
  prompt: number[];
  /** Sampled tokens up to and including the first EOS. */
  tokens: number[];
  /** log π(token) at the sampling temperature, per completion token. */
  logprobs: number[];
  /** Entropy of the sampling distribution at each step. */
  entropies: number[];
  /** True when the completion hit maxNewTokens without EOS. */
  truncated: boolean;
  /** Seed of this sequence's stochastic-activation draws (replay it to recompute log-probs exactly). */
  actSeed: number;
}

export async function generate(be: Backend, model: Transformer, prompts: number[][], opts: GenerateOptions): Promise<Rollout[]> {
  const B = prompts.length;
  if (B === 0) return [];
  if (prompts.some((p) => p.length === 0)) throw new Error('generate: every prompt needs at least one token (e.g. BOS)');
  const N = opts.maxNewTokens;
  if (!Number.isInteger(N) || N < 1) throw new Error(`generate: maxNewTokens must be a positive integer (got ${N})`);
  const P = Math.max(...prompts.map((p) => p.length));
  if (P + N > model.config.contextLength) {
    throw new Error(`generate: prompt (${P}) + maxNewTokens (${N}) exceeds the model's context length ${model.config.contextLength}`);
  }
  const keyStart = prompts.map((p) => P - p.length);
  const ids = new Int32Array(B * P).fill(PAD);
  const positions = new Int32Array(B * P);
  prompts.forEach((p, b) => {
    ids.set(p, b * P + keyStart[b]);
    for (let t = 0; t < P; t++) positions[b * P + t] = Math.max(0, t - keyStart[b]);
  });

  const owned: Tensor[] = [];
  const keep = (t: Tensor) => (owned.push(t), t);
  const keyStartT = keep(be.fromArray(keyStart, [B], 'i32', 'generate.keyStart'));
  const cache = model.createCache(be, B, P + N, keyStartT);
  const tokensAll = keep(be.zeros([N * B], 'i32', 'generate.tokens'));
  const logpAll = keep(be.zeros([N * B], 'f32', 'generate.logp'));
  const entAll = keep(be.zeros([N * B], 'f32', 'generate.entropy'));
  const temperature = opts.greedy ? 1 : opts.temperature;
  const seeds = activationSeeds(opts, B);
  const actSeeds = keep(be.fromArray(seeds, [B], 'i32', 'generate.actSeeds'));
  const fwd = { cache, actSeeds, activation: opts.activation };

  // Prefill: the whole padded prompt, then the last row of each sequence (a row gather via the embedding kernel).
  let g = new Graph(be, false);
  const prefill = model.forward(g, g.input(ids, [B, P], 'i32'), g.input(positions, [B, P], 'i32'), fwd);
  const lastRows = g.input(Array.from({ length: B }, (_, b) => b * P + P - 1), [B], 'i32');
  let logits = embedding(g, lastRows, prefill.logits);
  cache.offset = P;

  for (let s = 0; s < N; s++) {
    const tok = g.alloc([B], 'i32', 'generate.step.tokens');
    be.sample(logits, tok, opts, { seed: opts.seed, stream: opts.stream ?? 0, counter: s * B });
    const { logp, entropy } = tokenLogprobs(g, logits, tok, temperature);
    be.copyInto(tok, tokensAll, s * B);
    be.copyInto(logp, logpAll, s * B);
    be.copyInto(entropy, entAll, s * B);
    if (s === N - 1) break;
    const next = new Graph(be, false);
    const pos = next.input(keyStart.map((k) => P + s - k), [B, 1], 'i32');
    logits = model.forward(next, next.view(tok, [B, 1]), pos, fwd).logits;
    cache.offset += 1;
    // Released buffers may be reused by later steps of the same encoder: GPU commands stay in order.
    g.dispose();
    g = next;
  }
  const [tokens, logps, ents] = await Promise.all([be.read(tokensAll), be.read(logpAll), be.read(entAll)]);
  g.dispose();
  for (const t of [...owned, ...cache.k, ...cache.v]) be.release(t);

  return prompts.map((prompt, b) => {
    const out: Rollout = { prompt: [...prompt], tokens: [], logprobs: [], entropies: [], truncated: true, actSeed: seeds[b] };
    for (let s = 0; s < N; s++) {
      out.tokens.push(tokens[s * B + b]);
      out.logprobs.push(logps[s * B + b]);
      out.entropies.push(ents[s * B + b]);
      if (tokens[s * B + b] === EOS) {
        out.truncated = false;
        break;
      }
    }
    return out;
  });
}
