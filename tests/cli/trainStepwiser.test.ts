/** `cli train --config` runs the StepWiser judge trainer: every iteration logged, the judge's held-out numbers among them. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Flags } from '../../src/cli/args';
import { train } from '../../src/cli/trainCommands';

/** One operation on operands 1–2, a width-16 policy, 16 labelled solutions: seconds on the cpu oracle. */
const CONFIG = {
  algorithm: 'stepwiser',
  task: 'multi-step',
  difficulty: { steps: 1, max: 2 },
  seed: 3,
  model: { preset: 'tiny', nLayer: 1, nEmbd: 16, nHead: 2, contextLength: 32 },
  sft: { steps: 30, batch: 8, lr: 0.01 },
  grpo: { num_generations: 4, prompts_per_step: 4, max_completion_length: 11 },
  stepwiser: { solutions: 16, held_out: 8, continuations: 4, balance: false, judge_sft_steps: 5, judge_generations: 4, judge_max_tokens: 4, judge_context: 32, reset_attempts: 2, reset_problems: 4 },
  iterations: 3,
  eval: { n: 4, every: 3 },
};

let dir = '';
afterEach(async () => {
  vi.restoreAllMocks();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('cli train --config with algorithm stepwiser', () => {
  it('trains the step judge and logs its held-out accuracy and chunk-reset numbers', { timeout: 60_000 }, async () => {
    dir = await mkdtemp(join(tmpdir(), 'train-stepwiser-'));
    const config = join(dir, 'run.config.json');
    await writeFile(config, JSON.stringify(CONFIG));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await train(new Flags(['--config', config, '--backend', 'cpu', '--out', join(dir, 'out')]));
    const lines = (await readFile(join(dir, 'out', 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const iterations = lines.filter((l) => l.phase === 'stepwiser');
    expect(iterations).toHaveLength(CONFIG.iterations);
    // The first iteration reports the warmed-up judge; the last, evaluated, the trained one.
    for (const l of [iterations[0], iterations[2]]) {
      expect(l['stepwiser/judge_accuracy']).toBeGreaterThanOrEqual(0);
      expect(l['stepwiser/acc_with_reset']).toBeGreaterThanOrEqual(0);
    }
    expect(iterations[1]['stepwiser/judge_accuracy']).toBeUndefined();
    expect(iterations.every((l) => l['stepwiser/pool_positive_before'] + l['stepwiser/pool_negative_before'] > 0)).toBe(true);
  });
});
