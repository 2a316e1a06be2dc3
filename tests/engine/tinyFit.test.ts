/**
 * End-to-end engine check: the same tiny transformer, trained for K steps with fused cross-entropy, clipping
 * and AdamW, gives matching losses on the cpu oracle, on WebGPU and on wasm, and the loss actually falls.
 */
import { describe, expect, it } from 'vitest';
import { Graph } from '../../src/engine/autograd';
import type { Backend } from '../../src/engine/backend';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { crossEntropy } from '../../src/engine/ops/loss';
import { AdamW } from '../../src/engine/optim';
import { presetConfig } from '../../src/model/config';
import { Transformer } from '../../src/model/transformer';
import { assertClose } from '../harness/compare';
import { gpuBackend } from '../harness/gpu';
import { wasmBackend } from '../harness/wasm';

const B = 4, T = 8, V = 12, STEPS = 8;

/** Toy batch: sequence b counts up from b modulo V; the target is the next number. */
function toyBatch() {
  const ids = new Int32Array(B * T), targets = new Int32Array(B * T), positions = new Int32Array(B * T);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      ids[b * T + t] = (b + t) % V;
      targets[b * T + t] = (b + t + 1) % V;
      positions[b * T + t] = t;
    }
  }
  return { ids, targets, positions, weights: new Float32Array(B * T).fill(1 / (B * T)) };
}

async function train(be: Backend): Promise<number[]> {
  const model = Transformer.init(be, presetConfig('tiny', V, { nEmbd: 16, nLayer: 1, ffnHidden: 32, contextLength: T }), 7);
  const opt = new AdamW(be, [...model.params.values()].map((p) => ({ name: p.name, param: p.value, grad: p.grad, decay: p.decay })));
  const batch = toyBatch();
  const losses: number[] = [];
  for (let s = 0; s < STEPS; s++) {
    const g = new Graph(be);
    model.zeroGrads(be);
    const { logits } = model.forward(g, g.input(batch.ids, [B, T], 'i32'), g.input(batch.positions, [B, T], 'i32'));
    const rows = crossEntropy(g, logits, g.input(batch.targets, [B * T], 'i32'), g.input(batch.weights, [B * T]));
    g.backward(rows);
    opt.step({ lr: 1e-2, maxGradNorm: 1 });
    const perRow = await be.read(rows);
    losses.push(Array.from(perRow).reduce((a, b) => a + b, 0));
    g.dispose();
  }
  return losses;
}

describe('tiny transformer fit, cpu vs webgpu and wasm', () => {
  it(`gives matching losses for ${STEPS} steps and learns`, async () => {
    const cpu = await train(createCpuBackend());
    const gpu = await train(await gpuBackend());
    const wasm = await train(await wasmBackend());
    assertClose('loss per step (gpu vs cpu)', gpu, cpu, { atol: 1e-4, rtol: 2e-3 });
    assertClose('loss per step (wasm vs cpu)', wasm, cpu, { atol: 1e-4, rtol: 2e-3 });
    expect(cpu[0]).toBeGreaterThan(Math.log(V) * 0.9);
    expect(cpu[STEPS - 1]).toBeLessThan(cpu[0] * 0.8);
  });
});
