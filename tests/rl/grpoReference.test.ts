/**
 * One GRPO iteration through GrpoTrainer (advantages() and learn(), the steps step() takes after sampling and
 * scoring) against the PyTorch reference written from TRL's formulas (scripts/reference_grpo.py →
 * tests/fixtures/grpo-step): advantages, per-token loss weights, per optimizer step loss, gradient norm, learning
 * rate, KL, entropy and TRL's clip fractions (means, low_min, high_max), and the weights after AdamW, for every
 * loss_type × scale_rewards × mask_truncated_completions × μ × minibatches × β at token level without δ, and for
 * (token, δ = 1.5), (sequence, no δ), (sequence, δ = 1.5) each over loss_type × μ × minibatches × {(no truncation
 * mask, β 0), (truncation mask, β 0.04)}, on both backends. The fixture carries the minibatch order.
 *
 * Tolerances: the reference runs in float32 like the engine, but sums in other orders, and up to four AdamW steps of
 * lr ≤ 0.03 move the policy far (KL up to 4.4), so the per-step scalars agree to 5e-5 relative to their size
 * (measured: ≤ 2e-5). AdamW's first steps are close to lr·sign(g): where an element's gradient is a near-cancelling
 * sum of ~1e-7, rounding visibly moves g / (|g| + ε), so one element's update may differ by 2e-4 (0.7 % of lr;
 * measured 5.3e-5 on cpu, 1.1e-4 on webgpu) while the root-mean-square difference over every update of every case
 * stays below 1e-6 (measured 2.2e-7 on cpu, 3.8e-7 on webgpu).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/engine/backend';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { loadCheckpoint, type CheckpointFiles } from '../../src/model/checkpoint';
import { readSafetensors } from '../../src/model/safetensors';
import { readWeights } from '../../src/model/weights';
import type { TrainSequence } from '../../src/rl/grpo/batch';
import { DEFAULT_GRPO, type GrpoConfig } from '../../src/rl/grpo/config';
import { GrpoTrainer } from '../../src/rl/grpo/trainer';
import type { Metrics } from '../../src/rl/trainer';
import { NEUTRAL_JUDGE } from '../../src/rl/judges/biased';
import { getTask } from '../../src/rl/tasks/registry';
import { mismatches, type Tolerance } from '../harness/compare';
import { gpuBackend } from '../harness/gpu';

interface FixtureSequence {
  prompt: number[];
  completion: number[];
  truncated: boolean;
  actSeed: number;
  reward: number;
}

interface FixtureCase {
  config: Partial<GrpoConfig>;
  advantages: number[];
  token_weights: number[][];
  steps: Array<{ loss: number; grad_norm: number; learning_rate: number; kl: number; entropy: number; low: number; high: number; low_min: number; high_max: number; delta_binds: number }>;
}

const TOL = {
  advantages: { atol: 1e-6, rtol: 1e-5 },
  weights: { atol: 0, rtol: 1e-6 },
  scalars: { atol: 1e-6, rtol: 5e-5 },
  clipFractions: { atol: 1e-6, rtol: 0 },
  update: { atol: 2e-4, rtol: 0 },
} satisfies Record<string, Tolerance>;

const dir = join(__dirname, '..', 'fixtures', 'grpo-step');
const read = (f: string) => readFileSync(join(dir, f));
const checkpoint: CheckpointFiles = { configJson: read('config.json').toString('utf8'), weights: new Uint8Array(read('model.safetensors')) };
const batch = JSON.parse(read('batch.json').toString('utf8')) as { iterations: number; order: number[]; sequences: FixtureSequence[] };
const cases = (JSON.parse(read('expected.json').toString('utf8')) as { cases: FixtureCase[] }).cases;
const after = readSafetensors(new Uint8Array(read('expected.safetensors'))).tensors;
const before = readSafetensors(checkpoint.weights).tensors;

const caseName = (c: FixtureCase) => {
  const k = c.config;
  return `${k.loss_type} scale=${k.scale_rewards} mask=${k.mask_truncated_completions} μ=${k.num_iterations} mb=${k.minibatches} β=${k.beta} ${k.importance_sampling_level} δ=${k.delta}`;
};

/** Largest |got − want| per quantity over every case, for the report. */
type MaxErrors = Record<'advantages' | 'weights' | 'loss' | 'grad_norm' | 'kl' | 'entropy' | 'update', number>;

/** Root-mean-square difference of every weight update, over every case. */
const UPDATE_RMS_LIMIT = 1e-6;
interface UpdateSquares {
  sum: number;
  count: number;
}

function maxAbs(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < want.length; i++) m = Math.max(m, Math.abs(got[i] - want[i]));
  return m;
}

function check(failures: string[], what: string, got: ArrayLike<number>, want: ArrayLike<number>, tol: Tolerance): number {
  const msg = mismatches(got, want, tol);
  if (msg) failures.push(`${what}: ${msg}`);
  return maxAbs(got, want);
}

async function runCase(be: Backend, index: number, errors: MaxErrors, squares: UpdateSquares, failures: string[]): Promise<void> {
  const c = cases[index];
  const name = `case ${index} (${caseName(c)})`;
  const { model, tokenizer } = loadCheckpoint(be, checkpoint);
  const cfg: GrpoConfig = { ...DEFAULT_GRPO, ...c.config };
  const rewards = { weights: { correct: 1 }, overlongCache: 2, judge: NEUTRAL_JUDGE };
  const trainer = new GrpoTrainer(be, model, tokenizer, getTask('reversal'), {}, cfg, rewards, 0, batch.iterations);

  const G = cfg.num_generations;
  const groups = Array.from({ length: batch.sequences.length / G }, (_, g) => {
    const members = batch.sequences.slice(g * G, (g + 1) * G);
    return { rewards: members.map((s) => s.reward), answers: members.map(() => null), promptWeight: 1 };
  });
  const advantages = trainer.advantages(groups).advantages.flat();
  const bump = (k: keyof MaxErrors, v: number) => (errors[k] = Math.max(errors[k], v));
  bump('advantages', check(failures, `${name} advantages`, advantages, c.advantages, TOL.advantages));

  const seqs = batch.sequences.map((s, i): TrainSequence => ({ ...s, advantage: advantages[i] }));
  const learned = await trainer.learn(seqs, batch.order);
  bump('weights', check(failures, `${name} token weights`, learned.tokenWeights.flat(), c.token_weights.flat(), TOL.weights));

  const steps = (k: keyof Metrics & string) => learned.steps.map((s) => s[k]);
  const want = (k: keyof FixtureCase['steps'][number]) => c.steps.map((s) => s[k]);
  if (learned.steps.length !== c.steps.length) failures.push(`${name}: ${learned.steps.length} optimizer steps, expected ${c.steps.length}`);
  bump('loss', check(failures, `${name} loss`, steps('loss'), want('loss'), TOL.scalars));
  bump('grad_norm', check(failures, `${name} grad_norm`, steps('grad_norm'), want('grad_norm'), TOL.scalars));
  check(failures, `${name} learning_rate`, steps('learning_rate'), want('learning_rate'), { atol: 1e-12, rtol: 1e-9 });
  bump('kl', check(failures, `${name} kl`, steps('kl'), want('kl'), TOL.scalars));
  bump('entropy', check(failures, `${name} entropy`, steps('entropy'), want('entropy'), TOL.scalars));
  check(failures, `${name} clip low`, steps('low'), want('low'), TOL.clipFractions);
  check(failures, `${name} clip high`, steps('high'), want('high'), TOL.clipFractions);
  check(failures, `${name} clip low_min`, steps('low_min'), want('low_min'), TOL.clipFractions);
  check(failures, `${name} clip high_max`, steps('high_max'), want('high_max'), TOL.clipFractions);

  for (const [param, value] of await readWeights(be, model)) {
    const start = before.get(param)!.data, end = after.get(`c${index}.${param}`)!.data;
    const update = value.map((v, i) => v - start[i]), expected = end.map((v, i) => v - start[i]);
    bump('update', check(failures, `${name} update of ${param}`, update, expected, TOL.update));
    update.forEach((u, i) => (squares.sum += (u - expected[i]) ** 2));
    squares.count += update.length;
  }
}

async function checkAll(be: Backend, backend: string): Promise<void> {
  const errors: MaxErrors = { advantages: 0, weights: 0, loss: 0, grad_norm: 0, kl: 0, entropy: 0, update: 0 };
  const failures: string[] = [];
  const squares: UpdateSquares = { sum: 0, count: 0 };
  for (let i = 0; i < cases.length; i++) await runCase(be, i, errors, squares, failures);
  const rms = Math.sqrt(squares.sum / squares.count);
  console.log(`grpo reference on ${backend}, ${cases.length} cases, max abs errors ${JSON.stringify(errors)}, update rms error ${rms.toExponential(2)}`);
  expect(failures.slice(0, 10).join('\n')).toBe('');
  expect(rms).toBeLessThan(UPDATE_RMS_LIMIT);
}

describe('one GRPO iteration against the PyTorch reference (TRL formulas)', () => {
  it('covers every combination of loss_type, scale_rewards, mask_truncated_completions, μ, minibatches and β, and the GSPO / δ subset', () => {
    const combos = new Set(cases.map(caseName));
    const plain = cases.filter((c) => c.config.importance_sampling_level === 'token' && c.config.delta === null);
    expect(new Set(plain.map(caseName)).size).toBe(4 * 3 * 2 * 2 * 2 * 2);
    for (const [level, delta] of [['token', 1.5], ['sequence', null], ['sequence', 1.5]] as const) {
      const some = cases.filter((c) => c.config.importance_sampling_level === level && c.config.delta === delta);
      expect(some.length, `${level} δ=${delta}`).toBe(4 * 2 * 2 * 2);
      // Each setting clips somewhere, and δ binds (ratio above δ with a negative advantage) where it is set.
      expect(some.some((c) => c.steps.some((s) => s.low + s.high > 0))).toBe(true);
      expect(some.some((c) => c.steps.some((s) => s.delta_binds > 0))).toBe(delta !== null);
    }
    expect(combos.size).toBe(cases.length);
    expect(cases.every((c) => c.config.epsilon_high! > c.config.epsilon!)).toBe(true);
    // The fixture exercises what it claims: clipping in later steps, gradient clipping on and off, truncation.
    expect(cases.some((c) => c.steps.some((s) => s.low + s.high > 0))).toBe(true);
    const norms = cases.flatMap((c) => c.steps.map((s) => s.grad_norm));
    expect(Math.min(...norms)).toBeLessThan(1);
    expect(Math.max(...norms)).toBeGreaterThan(1);
    expect(batch.sequences.some((s) => s.truncated) && batch.sequences.some((s) => !s.truncated)).toBe(true);
  });

  it('matches on cpu', () => checkAll(createCpuBackend(), 'cpu'));
  it('matches on webgpu', async () => checkAll(await gpuBackend(), 'webgpu'), 600_000);
});
