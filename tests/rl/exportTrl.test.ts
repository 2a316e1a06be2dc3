/** `export-trl` writes a GRPOConfig whose learning-rate schedule is the playground's: cosine down to 10 % of the peak. */
import { describe, expect, it } from 'vitest';
import { warmupCosine } from '../../src/engine/schedule';
import { trlScript } from '../../src/rl/exportTrl';
import { DEFAULT_RUN, parseRunConfig } from '../../src/rl/runConfig';

describe('export-trl', () => {
  it('schedules cosine decay to the same 10 % floor as the trainer (cosine_with_min_lr, min_lr_rate 0.1)', () => {
    const script = trlScript(parseRunConfig({ ...DEFAULT_RUN, grpo: { ...DEFAULT_RUN.grpo, learning_rate: 2e-3, warmup_steps: 3 } }));
    expect(script).toMatch(/^ {4}lr_scheduler_type="cosine_with_min_lr",$/m);
    const rate = /^ {4}lr_scheduler_kwargs=\{"min_lr_rate": ([0-9.]+)\},$/m.exec(script);
    expect(rate).not.toBeNull();
    // The floor the trainer decays to, as a fraction of the peak.
    const floor = warmupCosine(10_000, { lr: 2e-3, warmupSteps: 3, totalSteps: 100, minLrRatio: 0.1 }) / 2e-3;
    expect(Number(rate![1])).toBeCloseTo(floor, 12);
  });

  it('carries GSPO and two-sided clipping (importance_sampling_level, delta; None when off)', () => {
    const gspo = trlScript(parseRunConfig({ ...DEFAULT_RUN, grpo: { ...DEFAULT_RUN.grpo, importance_sampling_level: 'sequence', delta: 1.5 } }));
    expect(gspo).toMatch(/^ {4}importance_sampling_level="sequence",$/m);
    expect(gspo).toMatch(/^ {4}delta=1\.5,$/m);
    const plain = trlScript(parseRunConfig(DEFAULT_RUN));
    expect(plain).toMatch(/^ {4}importance_sampling_level="token",$/m);
    expect(plain).toMatch(/^ {4}delta=None,$/m);
  });
});
