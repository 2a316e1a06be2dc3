/**
 * Swi+FT in the app's training path: the SFT warm-start keeps the configured activation, GRPO switches to RELU
 * for its final fraction of iterations, and the held-out evaluation decodes with what the trainer last used.
 * Every forward pass of the policy is recorded with the activation it ran.
 */
import { describe, expect, it, vi } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { inferenceActivation, presetConfig, swiFtSwitchStep, type FfnActivation } from '../../src/model/config';
import { Experiment } from '../../src/rl/experiment';
import { parseRunConfig } from '../../src/rl/runConfig';
import { TINY_RUN } from '../tinyRun';

/** The activations the policy's forward passes used while `body` ran. */
async function activationsDuring(exp: Experiment, body: () => Promise<unknown>): Promise<Set<FfnActivation>> {
  const used = new Set<FfnActivation>();
  const forward = exp.policy.forward.bind(exp.policy);
  const spy = vi.spyOn(exp.policy, 'forward').mockImplementation((g, ids, positions, opts = {}) => {
    used.add(opts.activation ?? exp.policy.config.activation);
    return forward(g, ids, positions, opts);
  });
  try {
    await body();
  } finally {
    spy.mockRestore();
  }
  return used;
}

describe('Swi+FT', () => {
  it('switches at the first step of the final fraction (the curves mark it there)', () => {
    expect(swiFtSwitchStep({ swiFtFraction: 0.25 }, 20)).toBe(15);
    expect(swiFtSwitchStep({ swiFtFraction: 0.1 }, 3)).toBe(3);
    expect(swiFtSwitchStep({ swiFtFraction: 0 }, 20)).toBeNull();
  });

  it('runs with RELU outside training (ONNX export), like stochA; plain models keep their activation', () => {
    expect(inferenceActivation(presetConfig('tiny', 8, { activation: 'silu', swiFtFraction: 0.2 }))).toBe('relu');
    expect(inferenceActivation(presetConfig('tiny', 8, { activation: 'stochA' }))).toBe('relu');
    expect(inferenceActivation(presetConfig('tiny', 8, { activation: 'gelu' }))).toBe('gelu');
  });

  it('trains GRPO with the configured activation, then RELU for the final fraction of iterations', async () => {
    // 4 iterations with fraction 0.5: iterations 0–1 SILU, 2–3 RELU; held-out evaluation after every iteration.
    const run = parseRunConfig({ ...TINY_RUN, model: { ...TINY_RUN.model, activation: 'silu', swiFtFraction: 0.5 }, iterations: 4, eval: { n: 4, every: 1 } });
    const exp = new Experiment(createCpuBackend(), run);
    expect(await activationsDuring(exp, () => exp.warmStart())).toEqual(new Set(['silu']));
    expect(await activationsDuring(exp, () => exp.evaluate())).toEqual(new Set(['silu']));
    const perIteration: FfnActivation[][] = [];
    for (let i = 0; i < run.iterations; i++) {
      let evaluated = false;
      const used = await activationsDuring(exp, async () => {
        evaluated = (await exp.trainStep()).eval !== null;
      });
      expect(evaluated).toBe(true);
      perIteration.push([...used]);
    }
    expect(perIteration).toEqual([['silu'], ['silu'], ['relu'], ['relu']]);
  });

  it('never switches when the fraction is 0', async () => {
    const run = parseRunConfig({ ...TINY_RUN, model: { ...TINY_RUN.model, activation: 'gelu' }, iterations: 2, eval: { n: 4, every: 1 } });
    const exp = new Experiment(createCpuBackend(), run);
    const used = await activationsDuring(exp, async () => {
      await exp.warmStart();
      for (let i = 0; i < run.iterations; i++) await exp.trainStep();
    });
    expect(used).toEqual(new Set(['gelu']));
  });
});
