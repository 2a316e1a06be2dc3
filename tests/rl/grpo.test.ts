/**
 * A label-free RESTRAIN run logs its pseudo-label accuracy against the hidden gold answers. That GRPO measurably
 * raises held-out pass@1 after a warm-start is the "Watch GRPO learn" preset's claim, checked in
 * tests/rl/presetsCi.test.ts (and over three seeds by `npm run presets`).
 */
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { Experiment } from '../../src/rl/experiment';
import { parseRunConfig } from '../../src/rl/runConfig';

const base = {
  task: 'parity',
  difficulty: { length: 4 },
  seed: 3,
  model: { preset: 'tiny', contextLength: 16 },
  sft: { steps: 8, batch: 32, lr: 1e-2 },
  grpo: { num_generations: 8, prompts_per_step: 16, max_completion_length: 2, learning_rate: 3e-3, temperature: 1 },
  iterations: 20,
  eval: { n: 96, every: 100 },
};

describe('GRPO', () => {
  it('runs label-free RESTRAIN and logs pseudo-label accuracy against the hidden gold answers', async () => {
    const run = parseRunConfig({ ...base, iterations: 3, grpo: { ...base.grpo, label_mode: 'restrain', restrain: { center: 1, sigma: 0.3, kappa: 3, delta: 0.2, promptWeights: true } } });
    const exp = new Experiment(createCpuBackend(), run);
    await exp.warmStart();
    for (let i = 0; i < run.iterations; i++) {
      const { metrics, rollouts } = await exp.trainStep();
      expect(metrics.pseudo_label_accuracy).toBeGreaterThanOrEqual(0);
      expect(metrics.pseudo_label_accuracy).toBeLessThanOrEqual(1);
      expect(metrics.frac_penalised).toBeGreaterThanOrEqual(0);
      expect(metrics.prompt_weight_mean).toBeGreaterThan(0);
      expect(metrics.prompt_weight_mean).toBeLessThanOrEqual(1);
      // Every rollout records the majority pseudo-label its group trained toward; the advantage of a penalised
      // group is exactly −δ.
      for (const r of rollouts) expect(r.pseudoLabel === null || typeof r.pseudoLabel === 'string').toBe(true);
      const byGroup = new Map<number, number[]>();
      for (const r of rollouts) byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r.advantage]);
      expect([...byGroup.values()].every((a) => a.length === run.grpo.num_generations)).toBe(true);
    }
  });
});
