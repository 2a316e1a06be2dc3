/**
 * The short soak (CI): 200 GRPO iterations of a very small run on the CPU backend. Live tensors (the CPU's
 * equivalent of live GPU buffers) and the checkpoint a durable run writes must not grow after warm-up; the full
 * soak is `npm run soak`.
 */
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../src/engine/backend/cpu';
import { parseRunConfig } from '../src/rl/runConfig';
import { soak, summarize } from '../scripts/soakRun';
import { TINY_RUN } from './tinyRun';

describe('soak (short)', () => {
  it('200 iterations: live tensors and checkpoint size stay flat, the curves grow', async () => {
    const run = parseRunConfig({ ...TINY_RUN, grpo: { ...TINY_RUN.grpo, num_generations: 2, beta: 0.04 }, iterations: 200, eval: { n: 4, every: 100 } });
    const samples = await soak({ run, backend: createCpuBackend(), iterations: 200, every: 20 });
    expect(samples.map((s) => s.iteration)).toEqual([20, 40, 60, 80, 100, 120, 140, 160, 180, 200]);
    const summary = summarize(samples);
    expect(summary.liveTensors).toMatchObject({ spread: 0 });
    expect(summary.liveTensorBytes).toMatchObject({ spread: 0 });
    // A few bytes move with the counters' encoding (V8 writes small integers as varints).
    expect(summary.checkpointBytes!.spread).toBeLessThan(1e-3);
    expect(summary.curvesBytes!.last).toBeGreaterThan(summary.curvesBytes!.first);
  });
});
