/**
 * A model's parameter values as host arrays, for snapshots kept in memory (the run's last checkpoint, frozen
 * reference policies). The file format lives in checkpoint.ts; this is the in-process counterpart.
 */
import type { Backend } from '../engine/backend';
import type { Transformer } from './transformer';

export type Weights = Map<string, Float32Array>;

/** Read every parameter back from the device (between steps only: each read waits for the GPU). */
export async function readWeights(be: Backend, model: Transformer): Promise<Weights> {
  const out: Weights = new Map();
  for (const p of model.params.values()) out.set(p.name, (await be.read(p.value)) as Float32Array);
  return out;
}

/** Overwrite a model's parameters; the names and sizes must be the model's own. */
export function writeWeights(be: Backend, model: Transformer, weights: Weights): void {
  for (const p of model.params.values()) {
    const data = weights.get(p.name);
    if (!data) throw new Error(`weights have no tensor ${p.name}`);
    if (data.length !== p.value.numel) throw new Error(`weights: ${p.name} has ${data.length} values, the model needs ${p.value.numel}`);
  }
  for (const p of model.params.values()) be.write(p.value, weights.get(p.name)!);
}
