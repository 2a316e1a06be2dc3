/**
 * Self-instruct's defining effects on a warm-started 1-digit adder (wasm, seeded): the warm-start's proposal
 * demonstrations teach the policy the template, answer-matching keeps proposals whose stated answer is right far
 * more often than no filter does, and the kept set survives a trainer's saved state.
 */
import { describe, expect, it } from 'vitest';
import { Experiment } from '../../../src/rl/experiment';
import { parseRunConfig } from '../../../src/rl/runConfig';
import { SelfInstructTrainer } from '../../../src/rl/selfInstruct/trainer';
import { wasmBackend } from '../../harness/wasm';

const config = (proposalShare: number) =>
  parseRunConfig({
    algorithm: 'self-instruct',
    task: 'addition',
    difficulty: { digits: 1 },
    seed: 2,
    model: { preset: 'tiny', contextLength: 32 },
    sft: { steps: 300, batch: 32, lr: 3e-3 },
    grpo: { num_generations: 8, prompts_per_step: 8, max_completion_length: 4, learning_rate: 1e-4 },
    selfInstruct: { proposer: 'policy', proposals: 32, answerSamples: 8, filter: 'answer-matching', label: 'stated', seeds: 16, proposalShare },
    iterations: 3,
    eval: { n: 8, every: 10 },
  });

async function warmStarted(proposalShare: number) {
  const be = await wasmBackend();
  const run = config(proposalShare);
  const exp = new Experiment(be, run);
  await exp.warmStart();
  return new SelfInstructTrainer(be, exp.policy, exp.tokenizer, exp.task, run);
}

describe('self-instruct (wasm, seeded)', () => {
  it('answer-matching keeps right stated answers far more often than no filter; the kept set survives saved state', async () => {
    const trainer = await warmStarted(0.25);
    let written = 0, parsed = 0, right = 0, keptRight = 0, kept = 0, consistent = 0;
    for (let i = 0; i < 3; i++) {
      await trainer.step();
      const round = trainer.lastRound!;
      written += round.proposals.length;
      parsed += round.judged.length;
      right += round.judged.filter((j) => j.statedCorrect).length;
      const matching = round.judged.filter((j) => j.kept['answer-matching']);
      kept += matching.length;
      keptRight += matching.filter((j) => j.statedCorrect).length;
      consistent += round.judged.filter((j) => j.kept['self-consistency']).length;
    }
    // The template is learnt: most proposals parse (seed 2: 82 of 96).
    expect(parsed / written).toBeGreaterThan(0.8);
    // Stated answers the policy writes with its proposals are mostly wrong (seed 2: 0.20); among the 20 answer-matching keeps, mostly right (0.65).
    expect(right / parsed).toBeLessThan(0.4);
    expect(keptRight / kept - right / parsed).toBeGreaterThan(0.25);
    // Self-consistency (majority share ≥ 0.5) asks nothing of the stated answer: it keeps more (36).
    expect(consistent).toBeGreaterThan(kept);
    // Training drew from the kept set, the newest up to `pool`.
    expect(trainer.keptSet().instances.length).toBeGreaterThan(0);

    const state = await trainer.saveState();
    const resumed = new SelfInstructTrainer(trainer.be, trainer.policy, trainer.tokenizer, trainer.task, trainer.run);
    resumed.loadState(state);
    expect(resumed.keptSet()).toEqual(trainer.keptSet());
    const broken = structuredClone(state) as typeof state & { data: { instances: { answer: string }[] } };
    broken.data.instances[0].answer = '99';
    expect(() => resumed.loadState(broken)).toThrow(/instances\.0\.answer: "99" is not the answer of/);
  }, 60_000);

  it('without proposal demonstrations in the warm-start the policy cannot follow the template', async () => {
    const trainer = await warmStarted(0);
    await trainer.step();
    const round = trainer.lastRound!;
    // Seed 2: 0 of 32 parse.
    expect(round.judged.length / round.proposals.length).toBeLessThan(0.2);
    expect(round.metrics['self_instruct/rejected/record'] + round.metrics['self_instruct/rejected/grammar']).toBeGreaterThan(0.8 * round.proposals.length);
  }, 60_000);
});
