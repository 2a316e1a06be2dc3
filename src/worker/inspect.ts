/**
 * Read-outs of the policy for the model inspector: attention maps and FFN sparsity of one sequence (a no-grad
 * forward), a rollout's token log-probs under the current policy (for the ratio colouring), and per parameter
 * tensor the L2 norms of its values and gradients plus the raw MTA kernels. Everything is copied off the backend,
 * so later training steps cannot change what the page shows.
 */
import { Graph } from '../engine/autograd';
import type { Backend } from '../engine/backend';
import { teacherForcedLogprobs } from '../model/teacherForced';
import { scheduledActivation } from '../model/config';
import { ffnSparsity } from '../model/sparsity';
import { BOS, type CharTokenizer } from '../model/tokenizer';
import type { Transformer } from '../model/transformer';
import type { AttentionMaps, AttentionRequest, MtaKernel, ModelSnapshot, ParamStat } from './protocol';

/** MTA parameters worth drawing as kernels (group norms and gates are vectors, shown by their norms only). */
const MTA_KERNEL = /\.attn\.mta\.(kq_pre|kq_post|head_mix_pre|head_mix_post)$/;

function l2(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] * values[i];
  return Math.sqrt(s);
}

/** Check a request from the page before it reaches the kernels, so a bad one is a message, not a device error. */
function sequenceIds(policy: Transformer, tok: CharTokenizer, req: AttentionRequest): number[] {
  const V = policy.config.vocabSize;
  const bad = req.tokens.find((t) => !Number.isInteger(t) || t < 0 || t >= V);
  if (bad !== undefined) throw new Error(`token id ${bad} is outside the vocabulary (0..${V - 1})`);
  if (!Number.isInteger(req.actSeed)) throw new Error(`the activation seed must be an integer, got ${req.actSeed}`);
  if (!Number.isInteger(req.iteration) || req.iteration < 0) throw new Error(`the rollout's iteration must be an integer ≥ 0, got ${req.iteration}`);
  let prompt: number[];
  try {
    prompt = tok.encode(req.prompt);
  } catch (e) {
    throw new Error(`the prompt cannot be encoded with this task's alphabet: ${(e as Error).message}`);
  }
  const ids = [BOS, ...prompt, ...req.tokens];
  if (ids.length > policy.config.contextLength) {
    throw new Error(`the sequence has ${ids.length} tokens but the model's context is ${policy.config.contextLength}`);
  }
  return ids;
}

/**
 * Attention probabilities (after MTA) of prompt + completion under the current policy, replaying the rollout's
 * stochastic-activation seed and FFN activation so the maps (and FFN sparsity) are those of the sequence as it was
 * sampled.
 */
export async function attentionMaps(be: Backend, policy: Transformer, tok: CharTokenizer, req: AttentionRequest, totalIterations: number): Promise<AttentionMaps> {
  const ids = sequenceIds(policy, tok, req);
  const T = ids.length;
  const g = new Graph(be, false);
  try {
    const { attention, ffnHidden } = policy.forward(g, g.input(ids, [1, T], 'i32'), g.input(ids.map((_, i) => i), [1, T], 'i32'), {
      actSeeds: g.input([req.actSeed], [1], 'i32'),
      activation: scheduledActivation(policy.config, req.iteration, totalIterations),
    });
    // Asked for together: one submission and one read-back for every layer's map.
    const maps = (await Promise.all(attention.map((probs) => be.read(probs)))).map((m) => Float32Array.from(m as Float32Array));
    // Every row is a real token here (one unpadded sequence), so no row mask.
    const sparsity = await ffnSparsity(be, ffnHidden);
    return { labels: ids.map((id) => tok.tokenText(id)), nHead: policy.config.nHead, maps, ffnSparsity: sparsity };
  } finally {
    g.dispose();
  }
}

/**
 * Log-probs of a rollout's completion tokens under the current policy, computed as the trainer computes its
 * log-probs (one full-sequence forward replaying the rollout's activation seed, with the FFN activation and
 * temperature it was sampled with), so exp(these − the sampled log-probs) is the policy ratio π_θ/π_sample and is
 * 1 up to float error until an update moves the weights.
 */
export async function currentLogprobs(
  be: Backend,
  policy: Transformer,
  tok: CharTokenizer,
  req: AttentionRequest,
  sampling: { temperature: number; totalIterations: number },
): Promise<number[]> {
  const ids = sequenceIds(policy, tok, req);
  if (!req.tokens.length) return [];
  // Row t predicts ids[t + 1]; the completion's tokens are the last targets.
  const T = ids.length - 1;
  const batch = { B: 1, T, ids: ids.slice(0, T), positions: ids.slice(0, T).map((_, i) => i), targets: ids.slice(1), actSeeds: [req.actSeed] };
  const activation = scheduledActivation(policy.config, req.iteration, sampling.totalIterations);
  const logp = await teacherForcedLogprobs(be, policy, batch, { temperature: sampling.temperature, activation });
  return Array.from(logp).slice(T - req.tokens.length);
}

/** Norms of every parameter and its gradient (the last optimizer step's), and the MTA kernels' values. */
export async function modelSnapshot(be: Backend, policy: Transformer): Promise<ModelSnapshot> {
  const all = [...policy.params.values()];
  // Every value and gradient asked for together: one submission and a few read-backs, not two per tensor.
  const read = await Promise.all(all.flatMap((p) => [be.read(p.value), be.read(p.grad)]));
  const params: ParamStat[] = [];
  const mta: MtaKernel[] = [];
  all.forEach((p, i) => {
    const values = read[2 * i] as Float32Array;
    if (MTA_KERNEL.test(p.name)) mta.push({ name: p.name, shape: [...p.value.shape], values: Float32Array.from(values) });
    params.push({ name: p.name, shape: [...p.value.shape], norm: l2(values), gradNorm: l2(read[2 * i + 1] as Float32Array) });
  });
  return { params, mta };
}
