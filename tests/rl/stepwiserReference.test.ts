/**
 * One StepWiser judge iteration against the PyTorch reference (scripts/reference_stepwiser.py →
 * tests/fixtures/stepwiser-step): from fixed judge weights and fixed step-judging outputs with their Monte-Carlo
 * labels, the trainer's reward (rewardOf: 1 iff the single final verdict is the label), then GRPO advantages, loss,
 * gradient norm and the AdamW update under the trainer's judge settings (stepJudgeGrpoConfig), for loss types
 * dapo and grpo, on cpu. Tolerances as in grpoReference.test.ts (float32 both sides, sums in other orders).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { loadCheckpoint, type CheckpointFiles } from '../../src/model/checkpoint';
import { readSafetensors } from '../../src/model/safetensors';
import { readWeights } from '../../src/model/weights';
import type { TrainSequence } from '../../src/rl/grpo/batch';
import { DEFAULT_GRPO, type GrpoConfig } from '../../src/rl/grpo/config';
import { GrpoTrainer } from '../../src/rl/grpo/trainer';
import { NEUTRAL_JUDGE } from '../../src/rl/judges/biased';
import { DEFAULT_RUN, type RunConfig } from '../../src/rl/runConfig';
import { DEFAULT_STEPWISER } from '../../src/rl/stepwiser/config';
import { rewardOf, stepJudgeGrpoConfig } from '../../src/rl/stepwiser/trainer';
import { getTask } from '../../src/rl/tasks/registry';
import { mismatches, type Tolerance } from '../harness/compare';

interface FixtureSequence {
  prompt: number[];
  completion: number[];
  truncated: boolean;
  actSeed: number;
  reward: number;
  text: string;
  label: 'P' | 'N';
  promptText: string;
}

interface FixtureCase {
  config: Partial<GrpoConfig>;
  rewards: number[];
  advantages: number[];
  steps: Array<{ loss: number; grad_norm: number; learning_rate: number }>;
}

const TOL = {
  advantages: { atol: 1e-6, rtol: 1e-5 },
  scalars: { atol: 1e-6, rtol: 5e-5 },
  update: { atol: 2e-4, rtol: 0 },
} satisfies Record<string, Tolerance>;

const dir = join(__dirname, '..', 'fixtures', 'stepwiser-step');
const read = (f: string) => readFileSync(join(dir, f));
const checkpoint: CheckpointFiles = { configJson: read('config.json').toString('utf8'), weights: new Uint8Array(read('model.safetensors')) };
const batch = JSON.parse(read('batch.json').toString('utf8')) as { iterations: number; order: number[]; sequences: FixtureSequence[] };
const cases = (JSON.parse(read('expected.json').toString('utf8')) as { cases: FixtureCase[] }).cases;
const after = readSafetensors(new Uint8Array(read('expected.safetensors'))).tensors;
const before = readSafetensors(checkpoint.weights).tensors;

/** The run whose judge settings the fixture's were written from. */
function fixtureRun(c: FixtureCase): RunConfig {
  const k = c.config;
  return {
    ...DEFAULT_RUN,
    algorithm: 'stepwiser',
    iterations: batch.iterations,
    grpo: { ...DEFAULT_GRPO, ...k, prompts_per_step: k.prompts_per_step!, max_completion_length: 64 },
    stepwiser: { ...DEFAULT_STEPWISER, judge_generations: k.num_generations!, judge_max_tokens: k.max_completion_length! },
  };
}

describe('one StepWiser judge iteration against the PyTorch reference', () => {
  it('the fixture has right, wrong, unreadable and truncated verdicts, and an all-right group', () => {
    const rewards = batch.sequences.map((s) => s.reward);
    expect(rewards.filter((r) => r === 1).length).toBeGreaterThan(4);
    expect(batch.sequences.some((s) => s.truncated)).toBe(true);
    expect(batch.sequences.some((s) => !/:[PN]$/.test(s.text))).toBe(true);
    expect(cases.map((c) => c.config.loss_type)).toEqual(['dapo', 'grpo']);
  });

  it.each(cases.map((c, i) => [c.config.loss_type, i] as const))('matches on cpu (loss_type %s)', async (_, index) => {
    const c = cases[index];
    const be = createCpuBackend();
    const { model, tokenizer } = loadCheckpoint(be, checkpoint);
    const run = fixtureRun(c);
    const cfg = stepJudgeGrpoConfig(run);
    for (const key of Object.keys(c.config) as Array<keyof GrpoConfig>) expect(cfg[key], key).toEqual(c.config[key]);

    // The fixture's token ids are the judge tokenizer's encoding of its texts.
    for (const s of batch.sequences) {
      expect(tokenizer.encode(s.promptText)).toEqual(s.prompt);
      expect(tokenizer.decode(s.completion)).toBe(s.text);
    }
    const rewards = batch.sequences.map((s) => rewardOf(s.text, { prompt: s.promptText, answer: s.label, demonstration: '', label: s.label === 'P' ? 'positive' : 'negative' }));
    expect(rewards).toEqual(c.rewards);

    const trainer = new GrpoTrainer(be, model, tokenizer, getTask('multi-step'), {}, cfg, { weights: { correct: 1 }, overlongCache: 0, judge: NEUTRAL_JUDGE }, 0, run.iterations);
    const G = cfg.num_generations;
    const groups = Array.from({ length: rewards.length / G }, (_, g) => ({ rewards: rewards.slice(g * G, (g + 1) * G), answers: Array<null>(G).fill(null), promptWeight: 1 }));
    const advantages = trainer.advantages(groups).advantages.flat();
    expect(mismatches(advantages, c.advantages, TOL.advantages)).toBeNull();

    const seqs = batch.sequences.map((s, i): TrainSequence => ({ prompt: s.prompt, completion: s.completion, truncated: s.truncated, actSeed: s.actSeed, advantage: advantages[i] }));
    const learned = await trainer.learn(seqs, batch.order);
    expect(learned.steps.length).toBe(1);
    const [step] = learned.steps;
    expect(mismatches([step.loss, step.grad_norm], [c.steps[0].loss, c.steps[0].grad_norm], TOL.scalars)).toBeNull();
    expect(step.learning_rate).toBeCloseTo(c.steps[0].learning_rate, 12);

    let maxErr = 0;
    for (const [param, value] of await readWeights(be, model)) {
      const start = before.get(param)!.data, end = after.get(`c${index}.${param}`)!.data;
      const update = value.map((v, i) => v - start[i]), expected = end.map((v, i) => v - start[i]);
      expect(mismatches(update, expected, TOL.update), param).toBeNull();
      update.forEach((u, i) => (maxErr = Math.max(maxErr, Math.abs(u - expected[i]))));
    }
    console.log(`stepwiser reference ${c.config.loss_type}: loss ${step.loss} (want ${c.steps[0].loss}), grad_norm ${step.grad_norm} (want ${c.steps[0].grad_norm}), max |Δupdate| ${maxErr.toExponential(2)}`);
  });
});
