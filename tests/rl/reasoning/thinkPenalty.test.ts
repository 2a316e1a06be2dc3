/**
 * The think penalty's defining effect, seeded on wasm: the same warm-started think-then-answer policy trained with
 * and without think_easy ends with fewer think tokens on easy held-out prompts when easy thinking is charged. (A
 * policy this small also stops thinking on hard prompts: the preset shows what a larger one keeps.)
 */
import { describe, expect, it } from 'vitest';
import { Experiment } from '../../../src/rl/experiment';
import { parseRunConfig } from '../../../src/rl/runConfig';
import { wasmBackend } from '../../harness/wasm';

const RUN = {
  task: 'think-budget',
  difficulty: { hardPercent: 50, steps: 2, mode: 0 },
  seed: 4,
  model: { preset: 'tiny', contextLength: 32 },
  sft: { steps: 100, batch: 32, lr: 1e-2 },
  grpo: { num_generations: 8, prompts_per_step: 8, max_completion_length: 24, loss_type: 'grpo', learning_rate: 2e-3 },
  iterations: 8,
  eval: { n: 16, every: 8 },
};

async function finalMetrics(weights: Record<string, number>): Promise<Record<string, number>> {
  const exp = new Experiment(await wasmBackend(), parseRunConfig({ ...RUN, rewards: { weights } }));
  await exp.warmStart();
  let last: Record<string, number> = {};
  for (let i = 0; i < RUN.iterations; i++) last = (await exp.trainStep()).metrics;
  return last;
}

describe('think penalty on easy prompts', () => {
  it('shortens easy thoughts against the same run without it', async () => {
    const plain = await finalMetrics({ correct: 1 });
    const penalised = await finalMetrics({ correct: 1, think_easy: 1 });
    expect(penalised['think/tokens_easy']).toBeLessThan(plain['think/tokens_easy'] - 1);
    expect(plain['think/tokens_easy']).toBeGreaterThan(3);
  }, 60_000);
});
