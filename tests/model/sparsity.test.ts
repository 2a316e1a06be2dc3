/** FFN sparsity readout and the Swi+FT activation schedule. */
import { describe, expect, it } from 'vitest';
import { Graph } from '../../src/engine/autograd';
import type { Backend } from '../../src/engine/backend';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { Rng } from '../../src/engine/rng';
import { presetConfig, scheduledActivation, type FfnActivation, type ModelConfig } from '../../src/model/config';
import { ffnSparsity } from '../../src/model/sparsity';
import { Transformer } from '../../src/model/transformer';
import { gpuBackend } from '../harness/gpu';

const B = 4, T = 12, V = 20;

async function sparsity(be: Backend, config: ModelConfig, activation?: FfnActivation, zeroW1 = false): Promise<number[]> {
  const model = Transformer.init(be, config, 2);
  if (zeroW1) for (const p of model.params.values()) if (p.name.endsWith('ffn.w1.weight')) be.zero(p.value);
  const rng = new Rng(4);
  const ids = Array.from({ length: B * T }, () => 3 + rng.int(V - 3));
  const g = new Graph(be, false);
  const res = model.forward(g, g.input(ids, [B, T], 'i32'), g.input(ids.map((_, i) => i % T), [B, T], 'i32'), {
    activation,
    actSeeds: g.input([1, 2, 3, 4], [B], 'i32'),
  });
  const s = await ffnSparsity(be, res.ffnHidden);
  g.dispose();
  return s;
}

describe('FFN sparsity', () => {
  const config = presetConfig('tiny', V, { contextLength: T, stochP: 0.3, stochRegion: 'negOnly' });

  for (const name of ['cpu', 'webgpu'] as const) {
    it(`reads zeros per layer on ${name}: all-zero pre-activations, RELU ≈ 1/2, SILU none, stochA(0.3) ≈ 0.7·RELU`, async () => {
      const be = name === 'cpu' ? createCpuBackend() : await gpuBackend();
      expect(await sparsity(be, config, 'relu', true)).toEqual([1, 1]);
      const relu = await sparsity(be, config, 'relu');
      for (const s of relu) expect(Math.abs(s - 0.5)).toBeLessThan(0.1);
      expect(await sparsity(be, config, 'silu')).toEqual([0, 0]);
      const stoch = await sparsity(be, config, 'stochA');
      stoch.forEach((s, l) => expect(Math.abs(s - 0.7 * relu[l])).toBeLessThan(0.03));
    });
  }

  it('counts only the rows it is told to', async () => {
    const be = createCpuBackend();
    const h = be.fromArray([0, 1, 0, 0, 2, 3], [3, 2]);
    expect(await ffnSparsity(be, [h])).toEqual([0.5]);
    expect(await ffnSparsity(be, [h], [true, false, true])).toEqual([0.25]);
    expect(await ffnSparsity(be, [h], [false, true, false])).toEqual([1]);
  });
});

describe('Swi+FT schedule', () => {
  it('switches to RELU for the final fraction of steps', () => {
    const c = presetConfig('tiny', V, { activation: 'silu', swiFtFraction: 0.2 });
    const acts = Array.from({ length: 10 }, (_, s) => scheduledActivation(c, s, 10));
    expect(acts).toEqual([...Array(8).fill('silu'), 'relu', 'relu']);
    expect(scheduledActivation({ ...c, swiFtFraction: 0 }, 9, 10)).toBe('silu');
  });
});
