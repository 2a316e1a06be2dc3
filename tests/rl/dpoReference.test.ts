/**
 * One DPO optimizer step through the DPO trainer's loss path (src/rl/dpo/optimize.ts: pair batch → π_ref's
 * sequence log-probs → forward → per-token log-probs → maskedSequenceSum → dpoLoss → backward → AdamW) against the PyTorch reference written from the DPO loss (scripts/reference_dpo.py →
 * tests/fixtures/dpo-step): sequence log-probs under the policy and under a different reference checkpoint, the
 * implicit rewards, margins, accuracies, loss, every gradient, the gradient norm and the weights after one AdamW
 * step, for β ∈ {0.1, 0.5} (the second step is gradient-clipped, the first is not), on cpu, wasm and webgpu.
 *
 * Tolerances: both sides run in float32 but sum in other orders. Sequence log-probs (sums of up to 6 token
 * log-probs, |sum| up to ~15, where one f32 ulp is ~1e-6) agree to 5e-6 absolute (measured ≤ 1.9e-6 on every
 * backend), rewards and margins (β times a difference of two of them) to 5e-6, the loss and gradient norm to 1e-5
 * relative (measured ≤ 1.8e-7 and 7.2e-7 absolute), each gradient element to 1e-6 + 1e-4 relative (measured ≤
 * 2.5e-7). AdamW's first step is close to lr·sign(g), which rounding could move for a near-zero gradient; measured
 * update errors are ≤ 6e-8, held to 1e-6 (1e-4 of lr).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/engine/backend';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { AdamW } from '../../src/engine/optim';
import { loadCheckpoint, type CheckpointFiles } from '../../src/model/checkpoint';
import { readSafetensors } from '../../src/model/safetensors';
import { readWeights } from '../../src/model/weights';
import { dpoStep, pairBatch, sequenceLogprobs } from '../../src/rl/dpo/optimize';
import type { PolicyBatch, TrainSequence } from '../../src/rl/grpo/batch';
import { mismatches, type Tolerance } from '../harness/compare';
import { gpuBackend } from '../harness/gpu';
import { wasmBackend } from '../harness/wasm';

interface Pair {
  prompt: number[];
  chosen: number[];
  rejected: number[];
}

interface FixtureCase {
  beta: number;
  policy_logps: number[];
  reference_logps: number[];
  rewards: number[];
  margins: number[];
  accuracies: number[];
  loss: number;
  grad_norm: number;
}

interface Settings {
  learning_rate: number;
  weight_decay: number;
  max_grad_norm: number;
  adam_betas: [number, number];
  adam_eps: number;
}

const TOL = {
  logps: { atol: 5e-6, rtol: 0 },
  rewards: { atol: 5e-6, rtol: 0 },
  scalars: { atol: 0, rtol: 1e-5 },
  grads: { atol: 1e-6, rtol: 1e-4 },
  update: { atol: 1e-6, rtol: 0 },
} satisfies Record<string, Tolerance>;

const dir = join(__dirname, '..', 'fixtures', 'dpo-step');
const read = (f: string) => readFileSync(join(dir, f));
const configJson = read('config.json').toString('utf8');
const policyFiles: CheckpointFiles = { configJson, weights: new Uint8Array(read('model.safetensors')) };
const referenceFiles: CheckpointFiles = { configJson, weights: new Uint8Array(read('reference.safetensors')) };
const fixture = JSON.parse(read('expected.json').toString('utf8')) as { settings: Settings; pairs: Pair[]; cases: FixtureCase[] };
const expectedTensors = readSafetensors(new Uint8Array(read('expected.safetensors'))).tensors;
const before = readSafetensors(policyFiles.weights).tensors;

/** The fixture's pairs as the DPO trainer batches them (src/rl/dpo/optimize.ts): P chosen sequences, then P rejected. */
function fixtureBatch(pairs: readonly Pair[]): PolicyBatch {
  const seq = (prompt: number[], completion: number[]): TrainSequence => ({ prompt, completion, truncated: false, advantage: 0, actSeed: 0 });
  return pairBatch(
    pairs.map((p) => seq(p.prompt, p.chosen)),
    pairs.map((p) => seq(p.prompt, p.rejected)),
  );
}

type MaxErrors = Record<'logps' | 'rewards' | 'loss' | 'grad_norm' | 'grads' | 'update', number>;

function maxAbs(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < want.length; i++) m = Math.max(m, Math.abs(got[i] - want[i]));
  return m;
}

async function runCase(be: Backend, index: number, errors: MaxErrors, failures: string[]): Promise<void> {
  const c = fixture.cases[index], s = fixture.settings;
  const check = (what: string, key: keyof MaxErrors, got: ArrayLike<number>, want: ArrayLike<number>, tol: Tolerance) => {
    const msg = mismatches(got, want, tol);
    if (msg) failures.push(`β=${c.beta} ${what}: ${msg}`);
    errors[key] = Math.max(errors[key], maxAbs(got, want));
  };
  const { model } = loadCheckpoint(be, policyFiles);
  const { model: reference } = loadCheckpoint(be, referenceFiles);
  const b = fixtureBatch(fixture.pairs);
  const activation = model.config.activation;

  // The trainer's loss path: π_ref's sequence log-probs, then one step of the policy on the DPO loss.
  const refLogps = await sequenceLogprobs(be, reference, b, activation);
  const params = [...model.params.values()];
  const opt = new AdamW(be, params.map((p) => ({ name: p.name, param: p.value, grad: p.grad, decay: p.decay })), {
    beta1: s.adam_betas[0],
    beta2: s.adam_betas[1],
    eps: s.adam_eps,
    weightDecay: s.weight_decay,
  });
  const out = await dpoStep({ be, policy: model, opt, beta: c.beta, lr: s.learning_rate, maxGradNorm: s.max_grad_norm, activation, label: 'the fixture step' }, b, refLogps);

  check('policy log-probs', 'logps', out.logps, c.policy_logps, TOL.logps);
  check('reference log-probs', 'logps', refLogps, c.reference_logps, TOL.logps);
  check('rewards', 'rewards', out.rewards, c.rewards, TOL.rewards);
  check('margins', 'rewards', out.margins, c.margins, TOL.rewards);
  if (out.accuracies.some((a, i) => a !== c.accuracies[i])) failures.push(`β=${c.beta} accuracies ${Array.from(out.accuracies)} vs ${c.accuracies}`);
  check('loss', 'loss', [out.loss], [c.loss], TOL.scalars);
  check('grad_norm', 'grad_norm', [out.grad_norm], [c.grad_norm], TOL.scalars);
  for (const p of params) check(`gradient of ${p.name}`, 'grads', await be.read(p.grad), expectedTensors.get(`g${index}.${p.name}`)!.data, TOL.grads);
  for (const [name, value] of await readWeights(be, model)) {
    const start = before.get(name)!.data, end = expectedTensors.get(`c${index}.${name}`)!.data;
    check(`update of ${name}`, 'update', value.map((v, i) => v - start[i]), end.map((v, i) => v - start[i]), TOL.update);
  }
}

async function checkAll(be: Backend, backend: string): Promise<void> {
  const errors: MaxErrors = { logps: 0, rewards: 0, loss: 0, grad_norm: 0, grads: 0, update: 0 };
  const failures: string[] = [];
  for (let i = 0; i < fixture.cases.length; i++) await runCase(be, i, errors, failures);
  const shown = Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, v.toExponential(2)]));
  console.log(`dpo reference on ${backend}, ${fixture.cases.length} cases, max abs errors ${JSON.stringify(shown)}`);
  expect(failures.slice(0, 10).join('\n')).toBe('');
}

describe('one DPO step against the PyTorch reference', () => {
  it('exercises what it claims: a different reference, unequal lengths, both accuracy values, clipping on and off', () => {
    expect(fixture.cases.map((c) => c.beta)).toEqual([0.1, 0.5]);
    for (const c of fixture.cases) {
      expect(c.policy_logps.some((v, i) => Math.abs(v - c.reference_logps[i]) > 1e-3)).toBe(true);
      expect(new Set(c.accuracies)).toEqual(new Set([0, 1]));
    }
    const norms = fixture.cases.map((c) => c.grad_norm);
    expect(Math.min(...norms)).toBeLessThan(fixture.settings.max_grad_norm);
    expect(Math.max(...norms)).toBeGreaterThan(fixture.settings.max_grad_norm);
    expect(fixture.pairs.some((p) => p.chosen.length !== p.rejected.length)).toBe(true);
    expect(new Set(fixture.pairs.map((p) => p.prompt.length)).size).toBeGreaterThan(1);
  });

  it('matches on cpu', () => checkAll(createCpuBackend(), 'cpu'));
  it('matches on wasm', async () => checkAll(await wasmBackend(), 'wasm'));
  it('matches on webgpu', async () => checkAll(await gpuBackend(), 'webgpu'), 120_000);
});
