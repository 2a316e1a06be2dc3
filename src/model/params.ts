/**
 * Model parameters by checkpoint name (PyTorch Linear [out, in] layout), with their gradient buffers.
 * Init: N(0, 0.02) for matrices, the output projections of each residual branch scaled by 1/sqrt(2·nLayer)
 * (GPT-2), ones for norm weights.
 */
import type { Backend } from '../engine/backend';
import { Rng } from '../engine/rng';
import type { Tensor } from '../engine/tensor';
import { assertValidConfig, type ModelConfig } from './config';

export interface Param {
  name: string;
  value: Tensor;
  grad: Tensor;
  /** Whether AdamW applies weight decay (matrices yes, norm gains no). */
  decay: boolean;
}

export type ParamShapes = Array<{ name: string; shape: number[]; kind: 'matrix' | 'residualOut' | 'norm' }>;

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
  const rng = new Rng(seed, 0x1417);
  const params = new Map<string, Param>();
  for (const { name, shape, kind } of parameterShapes(c)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const data =
      kind === 'norm' ? new Float32Array(n).fill(1) : rng.fillNormal(new Float32Array(n), kind === 'residualOut' ? 0.02 / Math.sqrt(2 * c.nLayer) : 0.02);
    params.set(name, {
      name,
      value: be.fromArray(data, shape, 'f32', name),
      grad: be.zeros(shape, 'f32', `grad.${name}`),
      decay: kind !== 'norm',
    });
  }
  return params;
}

export function countParameters(params: Map<string, Param>): number {
  let n = 0;
  for (const p of params.values()) n += p.value.numel;
  return n;
}
