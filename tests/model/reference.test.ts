/**
 * Golden fixtures from the PyTorch reference (scripts/make_fixtures.py → tests/fixtures/*): logits, loss and every
 * parameter gradient of tiny MTA models (pre+post convolutions, head mixing, group norm, gates) with stochastic
 * activations at p = 0, 1 and 0.3, on both backends.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Graph } from '../../src/engine/autograd';
import type { Backend } from '../../src/engine/backend';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { crossEntropy } from '../../src/engine/ops/loss';
import { loadCheckpoint } from '../../src/model/checkpoint';
import { readSafetensors } from '../../src/model/safetensors';
import { assertClose } from '../harness/compare';
import { gpuBackend } from '../harness/gpu';

const CASES = ['mta-stochA-p0', 'mta-stochA-p1', 'mta-stochA-p03'];
const TOL = { atol: 2e-5, rtol: 2e-4 };

function fixture(name: string) {
  const dir = join(__dirname, '..', 'fixtures', name);
  const read = (f: string) => new Uint8Array(readFileSync(join(dir, f)));
  return {
    files: { configJson: readFileSync(join(dir, 'config.json'), 'utf8'), weights: read('model.safetensors') },
    inputs: JSON.parse(readFileSync(join(dir, 'inputs.json'), 'utf8')) as {
      B: number;
      T: number;
      ids: number[];
      targets: number[];
      weights: number[];
      seeds: number[];
    },
    expected: readSafetensors(read('expected.safetensors')).tensors,
  };
}

async function check(be: Backend, name: string) {
  const { files, inputs, expected } = fixture(name);
  const { model } = loadCheckpoint(be, files);
  const { B, T } = inputs;
  const g = new Graph(be);
  model.zeroGrads(be);
  const positions = Array.from({ length: B * T }, (_, i) => i % T);
  const { logits } = model.forward(g, g.input(inputs.ids, [B, T], 'i32'), g.input(positions, [B, T], 'i32'), {
    actSeeds: g.input(inputs.seeds, [B], 'i32'),
  });
  const rows = crossEntropy(g, logits, g.input(inputs.targets, [B * T], 'i32'), g.input(inputs.weights, [B * T]));
  g.backward(rows);
  assertClose(`${name} logits`, await be.read(logits), expected.get('logits')!.data, TOL);
  const loss = Array.from(await be.read(rows)).reduce((a, b) => a + b, 0);
  expect(loss).toBeCloseTo(expected.get('loss')!.data[0], 3);
  for (const p of model.params.values()) {
    assertClose(`${name} grad.${p.name}`, await be.read(p.grad), expected.get(`grad.${p.name}`)!.data, TOL);
  }
  g.dispose();
}

describe('PyTorch reference fixtures', () => {
  for (const name of CASES) {
    it(`${name} on cpu`, () => check(createCpuBackend(), name));
    it(`${name} on webgpu`, async () => check(await gpuBackend(), name));
  }
});
