/**
 * J1's defining behaviour, seeded on the wasm backend: GRPO with the consistency reward raises the judge's
 * consistent accuracy (right in both orders, greedy) on its pool of pairs above the value the SFT warm-up left it
 * at. The policy is a 1-digit adder warm-started to about one answer in four right; the judge's SFT warm-up is
 * the j1-judge preset's first setting (600 steps), which on this seed leaves it already fairly good (0.77), so the
 * rise is small but real. ~10 s of CPU on wasm.
 */
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../../../src/engine/backend/wasm';
import { CharTokenizer } from '../../../src/model/tokenizer';
import { Transformer } from '../../../src/model/transformer';
import { DEFAULT_RUN, parseRunConfig, runModelConfig } from '../../../src/rl/runConfig';
import { getTask } from '../../../src/rl/tasks/registry';
import { createTrainer } from '../../../src/rl/trainers';
import { DemonstrationStream, warmStartTrainer } from '../../../src/rl/warmStart';

const ITERATIONS = 30;

describe('J1 judge', () => {
  it('consistent accuracy rises above its starting value', async () => {
    const run = parseRunConfig({
      algorithm: 'j1',
      task: 'addition',
      difficulty: { digits: 1 },
      seed: 1,
      sft: { steps: 80, batch: 32, lr: 3e-3 },
      grpo: { ...DEFAULT_RUN.grpo, max_completion_length: 4 },
      j1: { ...DEFAULT_RUN.j1, judge_sft_steps: 600, judge_sft_batch: 32, learning_rate: 3e-4, generations_per_order: 8, pairs_per_batch: 8, pool_prompts: 128, heldout_pairs: 0 },
      iterations: ITERATIONS,
    });
    const be = await createWasmBackend();
    const task = getTask(run.task);
    const tokenizer = new CharTokenizer(task.alphabet);
    const policy = Transformer.init(be, runModelConfig(run), run.seed);
    const sft = warmStartTrainer(be, policy, tokenizer, run.sft);
    const demos = new DemonstrationStream(task, run.difficulty, run.seed, run.sft.batch);
    for (let s = 0; s < run.sft.steps; s++) await sft.step(demos.next());
    const trainer = createTrainer({ be, run, policy, tokenizer, task });
    const first = await trainer.step();
    for (let i = 1; i < ITERATIONS; i++) await trainer.step();
    const end = (await trainer.evaluate!()).metrics;
    const start = first.metrics['j1/warmup_pool_consistent_accuracy'];
    // Measured: 0.772 → 0.816 over the 136 pairs (6 more pairs right in both orders); with no learning the two are equal.
    expect(first.metrics['j1/pool_pairs']).toBe(136);
    expect(end['j1/pool_consistent_accuracy']).toBeGreaterThan(start + 0.02);
  }, 120_000);
});
