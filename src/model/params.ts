/**
 * Model parameters by checkpoint name (PyTorch Linear [out, in] layout), with their gradient buffers.
 * Init: N(0, 0.02) for matrices, the output projections of each residual branch scaled by 1/sqrt(2·nLayer)
 * (GPT-2), ones for norm weights.
 */
import type { Backend } from '../engine/backend';
import { Rng } from '../engine/rng';
import { INIT_STREAM } from '../engine/streams';
import type { Tensor } from '../engine/tensor';
import { assertValidConfig, type ModelConfig } from './config';

export interface Param {
  name: string;
  value: Tensor;
  grad: Tensor;
  /** Whether AdamW applies weight decay (matrices yes, norm gains no). */
  decay: boolean;
}

/** How a parameter is initialised (and whether it is decayed): see initParams. */
export type ParamKind = 'matrix' | 'residualOut' | 'norm' | 'identityConv' | 'identityMix' | 'gate' | 'gateBias';
export type ParamShapes = Array<{ name: string; shape: number[]; kind: ParamKind }>;

/** The MTA layout of layer l: which pieces it has (docs/methods.md §1.5; the official code puts group norm and gate in every layer). */
export function mtaLayer(c: ModelConfig, l: number) {
  const m = c.mta;
  const conv = m !== null && (m.layers.length === 0 || m.layers.includes(l));
  const mixing = m !== null && (m.headMixPre || m.headMixPost !== 'none');
  return { conv, mixing, path: conv || mixing };
}

/** Key tap of the identity kernel for a padding mode: the tap that reads entry (i, j) itself. */
export function identityKeyTap(padKey: 'both' | 'left' | 'right', ck: number): number {
  return padKey === 'both' ? (ck - 1) / 2 : padKey === 'left' ? ck - 1 : 0;
}

function mtaShapes(c: ModelConfig, l: number): ParamShapes {
  const m = c.mta;
  if (!m) return [];
  const H = c.nHead, D = c.nEmbd / c.nHead;
  const p = `layers.${l}.attn.mta`;
  const { conv, mixing, path } = mtaLayer(c, l);
  const shapes: ParamShapes = [];
  if (conv && m.preConv) shapes.push({ name: `${p}.kq_pre`, shape: [H, m.preConv.cq, m.preConv.ck], kind: 'identityConv' });
  if (conv && m.postConv) shapes.push({ name: `${p}.kq_post`, shape: [H, m.postConv.cq, m.postConv.ck], kind: 'identityConv' });
  if (mixing && m.headMixPre) shapes.push({ name: `${p}.head_mix_pre`, shape: [H, H], kind: 'identityMix' });
  if (mixing && m.headMixPost === 'linear') shapes.push({ name: `${p}.head_mix_post`, shape: [H, H], kind: 'identityMix' });
  if (mixing && typeof m.headMixPost === 'number') {
    shapes.push({ name: `${p}.head_mix_post`, shape: [H / m.headMixPost, m.headMixPost, m.headMixPost], kind: 'identityMix' });
  }
  if (path && m.groupNorm) shapes.push({ name: `${p}.group_norm.weight`, shape: [D], kind: 'norm' });
  if (path && m.gate !== 'none') {
    const w = m.gate === '1d' ? 1 : D;
    shapes.push({ name: `${p}.gate.weight`, shape: [w, D], kind: 'gate' }, { name: `${p}.gate.bias`, shape: [w], kind: 'gateBias' });
  }
  return shapes;
}

/** Initial values of one parameter (identity for MTA kernels and mixing, so untrained MTA equals plain attention). */
function initialValues(c: ModelConfig, kind: ParamKind, shape: number[], rng: Rng): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  switch (kind) {
    case 'norm':
      return out.fill(1);
    case 'identityConv': {
      const [H, cq, ck] = shape;
      const tap = identityKeyTap(c.mta!.padKey, ck);
      for (let h = 0; h < H; h++) out[(h * cq + cq - 1) * ck + tap] = 1;
      return out;
    }
    case 'identityMix': {
      const size = shape[shape.length - 1];
      for (let blk = 0; blk < n / (size * size); blk++) for (let i = 0; i < size; i++) out[blk * size * size + i * size + i] = 1;
      return out;
    }
    case 'gate':
      return rng.fillNormal(out, 1 / Math.sqrt(shape[1]));
    case 'gateBias': {
      // PyTorch Linear's default bias init: U(−1/sqrt(fan_in), 1/sqrt(fan_in)).
      const bound = 1 / Math.sqrt(c.nEmbd / c.nHead);
      return out.map(() => (2 * rng.uniform() - 1) * bound);
    }
    default:
      return rng.fillNormal(out, kind === 'residualOut' ? 0.02 / Math.sqrt(2 * c.nLayer) : 0.02);
  }
}

export function parameterShapes(c: ModelConfig): ParamShapes {
  const C = c.nEmbd;
  const shapes: ParamShapes = [{ name: 'embed.weight', shape: [c.vocabSize, C], kind: 'matrix' }];
  for (let l = 0; l < c.nLayer; l++) {
    const p = `layers.${l}`;
    shapes.push(
      { name: `${p}.attn_norm.weight`, shape: [C], kind: 'norm' },
      { name: `${p}.attn.wq.weight`, shape: [C, C], kind: 'matrix' },
      { name: `${p}.attn.wk.weight`, shape: [C, C], kind: 'matrix' },
      { name: `${p}.attn.wv.weight`, shape: [C, C], kind: 'matrix' },
      { name: `${p}.attn.wo.weight`, shape: [C, C], kind: 'residualOut' },
      ...mtaShapes(c, l),
      { name: `${p}.ffn_norm.weight`, shape: [C], kind: 'norm' },
      { name: `${p}.ffn.w1.weight`, shape: [c.ffnHidden, C], kind: 'matrix' },
      { name: `${p}.ffn.w2.weight`, shape: [C, c.ffnHidden], kind: 'residualOut' },
    );
    if (c.ffn === 'gated') shapes.push({ name: `${p}.ffn.w3.weight`, shape: [c.ffnHidden, C], kind: 'matrix' });
  }
  shapes.push({ name: 'norm.weight', shape: [C], kind: 'norm' });
  if (!c.tiedEmbeddings) shapes.push({ name: 'lm_head.weight', shape: [c.vocabSize, C], kind: 'matrix' });
  return shapes;
}

export function initParams(be: Backend, c: ModelConfig, seed: number): Map<string, Param> {
  assertValidConfig(c);
  const rng = new Rng(seed, INIT_STREAM);
  const params = new Map<string, Param>();
  for (const { name, shape, kind } of parameterShapes(c)) {
    const data = initialValues(c, kind, shape, rng);
    params.set(name, {
      name,
      value: be.fromArray(data, shape, 'f32', name),
      grad: be.zeros(shape, 'f32', `grad.${name}`),
      decay: decays(kind),
    });
  }
  return params;
}

/** Weight decay applies to matrices, not to gains, biases or the MTA kernels (they start as identities). */
export function decays(kind: ParamKind): boolean {
  return kind === 'matrix' || kind === 'residualOut' || kind === 'gate';
}

export function countParameters(params: Map<string, Param>): number {
  let n = 0;
  for (const p of params.values()) n += p.value.numel;
  return n;
}
