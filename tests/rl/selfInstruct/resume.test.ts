/**
 * A self-instruct trainer resumed from a saved state (weights, GRPO state, kept set) continues exactly as the one
 * that saved it: proposal rounds and their samples depend only on (seed, iteration), the kept set travels in the state.
 */
import { describe, expect, it } from 'vitest';
import { CharTokenizer } from '../../../src/model/tokenizer';
import { Transformer } from '../../../src/model/transformer';
import { readWeights, writeWeights } from '../../../src/model/weights';
import { parseRunConfig, runModelConfig } from '../../../src/rl/runConfig';
import { SelfInstructTrainer } from '../../../src/rl/selfInstruct/trainer';
import { getTask } from '../../../src/rl/tasks/registry';
import { wasmBackend } from '../../harness/wasm';

const run = parseRunConfig({
  algorithm: 'self-instruct',
  task: 'addition',
  difficulty: { digits: 1 },
  seed: 5,
  model: { preset: 'tiny', nLayer: 1, nEmbd: 16, nHead: 2, contextLength: 24 },
  grpo: { num_generations: 4, prompts_per_step: 4, max_completion_length: 3 },
  // No filter, so an untrained policy's proposals are kept and the kept set is not empty.
  selfInstruct: { proposer: 'scripted', filter: 'none', proposals: 6, answerSamples: 4, every: 2 },
  iterations: 6,
});

const volatile = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).filter(([k]) => k !== 'step_time' && !k.startsWith('time/')));

describe('self-instruct resume', () => {
  it('continues exactly from a saved state, proposal rounds every 2 iterations included', async () => {
    const be = await wasmBackend();
    const task = getTask(run.task);
    const tok = new CharTokenizer(task.alphabet);
    const first = new SelfInstructTrainer(be, Transformer.init(be, runModelConfig(run), run.seed), tok, task, run);
    await first.step();
    await first.step();
    await first.step();
    const state = await first.saveState();
    const weights = await readWeights(be, first.policy);
    expect(first.keptSet().instances.length).toBeGreaterThan(0);

    const policy = Transformer.init(be, runModelConfig(run), run.seed + 1);
    writeWeights(be, policy, weights);
    const resumed = new SelfInstructTrainer(be, policy, tok, task, run);
    resumed.loadState(state);
    for (let i = 0; i < 2; i++) {
      const [a, b] = [await first.step(), await resumed.step()];
      expect(volatile(b.metrics)).toEqual(volatile(a.metrics));
      expect(b.plots).toEqual(a.plots);
    }
    // Iteration 4 proposed again (every 2): both kept the same set.
    expect(resumed.keptSet()).toEqual(first.keptSet());
  }, 30_000);
});
