/**
 * The footprint estimates against the tensors the backends really allocate (counted by a proxy on zeros /
 * fromArray / release), on the CPU backend and on WebGPU (Dawn): parameters, optimizer state, the peak of an SFT
 * step, of a GRPO iteration (rollout, reference log-probs, update) and of a rollout with its KV cache, the largest
 * single tensor, and the FLOPs of an SFT step. Each must agree within 10 %.
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/engine/backend';
import { meterAllocations } from '../../src/engine/allocationMeter';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { Rng } from '../../src/engine/rng';
import { defaultMta, presetConfig, type ModelConfig } from '../../src/model/config';
import { BYTES_PER_ELEMENT, kvCacheBytes, parameterCount, rolloutBytes, trainStepBytes, trainStepFlops } from '../../src/model/footprint';
import { generate } from '../../src/model/generate';
import { buildSftBatch, DEFAULT_SFT, SftTrainer } from '../../src/model/sft';
import { BOS, CharTokenizer } from '../../src/model/tokenizer';
import { Transformer } from '../../src/model/transformer';
import { estimateRun } from '../../src/rl/resourceGuard';
import { Experiment } from '../../src/rl/experiment';
import { parseRunConfig } from '../../src/rl/runConfig';
import { getTask } from '../../src/rl/tasks/registry';
import { gpuBackend } from '../harness/gpu';

const within10 = (measured: number, estimate: number) => {
  expect(estimate, `estimate ${estimate} vs measured ${measured}`).toBeGreaterThanOrEqual(measured * 0.9);
  expect(estimate, `estimate ${estimate} vs measured ${measured}`).toBeLessThanOrEqual(measured * 1.1);
};

const task = getTask('addition');
const tok = new CharTokenizer(task.alphabet);
const MODELS: Record<string, ModelConfig> = {
  'tiny preset': presetConfig('tiny', tok.vocabSize, { contextLength: 24 }),
  'gated stochA': presetConfig('tiny', tok.vocabSize, { contextLength: 24, ffn: 'gated', activation: 'stochA', nLayer: 1 }),
  MTA: presetConfig('tiny', tok.vocabSize, { contextLength: 24, mta: defaultMta({ groupNorm: true, depthScale: true, gate: 'full', headMixPost: 'linear' }) }),
  wide: presetConfig('small', tok.vocabSize, { contextLength: 24, nLayer: 1 }),
};

function demos(n: number, seed: number) {
  const rng = new Rng(seed, 1);
  return Array.from({ length: n }, () => {
    const inst = task.generate(rng, { digits: 2 });
    return { prompt: inst.prompt, completion: inst.demonstration };
  });
}

async function measureModel(be: Backend, c: ModelConfig) {
  const meter = meterAllocations(be);
  meter.mark();
  const model = Transformer.init(meter.backend, c, 1);
  // Values and gradient buffers.
  within10(meter.live(), 2 * parameterCount(c) * BYTES_PER_ELEMENT);

  meter.mark();
  const trainer = new SftTrainer(meter.backend, model, tok, DEFAULT_SFT);
  // AdamW moments (plus two scalars for the gradient norm).
  within10(meter.sinceMark(), 2 * parameterCount(c) * BYTES_PER_ELEMENT);

  const batch = demos(16, 2);
  const { B, T } = buildSftBatch(tok, batch);
  meter.mark();
  await trainer.step(batch);
  within10(meter.peakSinceMark(), trainStepBytes(c, B, T, 'sft'));
  // FLOPs: the matmul kernels' count; attention (its own kernels, a few % at these lengths) is in the estimate only.
  within10(meter.matmulFlopsSinceMark(), trainStepFlops(c, B, T));

  // A rollout of 12 sequences with equal prompts (5 tokens) and 6 new tokens.
  const prompts = Array.from({ length: 12 }, () => [BOS, ...tok.encode('12+34')]);
  meter.mark();
  await generate(meter.backend, model, prompts, { maxNewTokens: 6, temperature: 1, topK: 0, topP: 1, greedy: false, seed: 1 });
  within10(meter.peakSinceMark(), rolloutBytes(c, 12, 6, 6));
  expect(kvCacheBytes(c, 12, 12)).toBeLessThan(rolloutBytes(c, 12, 6, 6));
}

async function measureRun(be: Backend) {
  const run = parseRunConfig({
    task: 'addition',
    difficulty: { digits: 2 },
    seed: 4,
    model: { preset: 'tiny', contextLength: 24 },
    sft: { steps: 2, batch: 16 },
    grpo: { num_generations: 4, prompts_per_step: 4, max_completion_length: 6, beta: 0.04, num_iterations: 2 },
    iterations: 1,
    eval: { n: 4, every: 1 },
  });
  const est = estimateRun(run);
  const meter = meterAllocations(be);
  meter.mark();
  const exp = new Experiment(meter.backend, run);
  within10(meter.live(), est.parameterBytes + est.gradientBytes);
  meter.mark();
  await exp.warmStart();
  within10(meter.peakSinceMark(), est.sftOptimizerBytes + est.sftStepBytes);
  meter.mark();
  await exp.trainStep();
  // The GRPO trainer's moments and frozen reference stay; the rollout or the update is the peak on top.
  within10(meter.sinceMark(), est.optimizerBytes + est.referenceBytes);
  within10(meter.peakSinceMark(), est.optimizerBytes + est.referenceBytes + Math.max(est.grpoStepBytes, est.rolloutBytes));
  expect(est.largestBufferBytes).toBeGreaterThanOrEqual(meter.largestSinceMark());
  within10(meter.largestSinceMark(), est.largestBufferBytes);
}

describe.each([
  ['cpu', async () => createCpuBackend()],
  ['webgpu', gpuBackend],
])('footprint estimates on %s', (_name, backend) => {
  it.each(Object.keys(MODELS))('%s: parameters, optimizer, SFT step and rollout within 10 percent', async (name) => {
    await measureModel(await backend(), MODELS[name]);
  });
  it('a whole run: warm-start, then a GRPO iteration with a KL reference and μ = 2', async () => {
    await measureRun(await backend());
  });
});
