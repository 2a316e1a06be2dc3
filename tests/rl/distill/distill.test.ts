/**
 * Trace-selection distillation (src/rl/distill/): its targets per mode, the config rules, and, on a small seeded
 * wasm run, the effects it exists to show that hold at any scale — answer-only targets teach a student to write
 * fewer tokens than think targets, the long selector hands over longer traces than random — and an exact resume.
 */
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../../../src/engine/backend/wasm';
import { chunkMetrics, handedMetrics, DISTILL_MODELS, DISTILL_PLOTS } from '../../../src/rl/distill/trainer';
import { POOL_SLICE, poolSlice, studentExample, studentPrompt, usableTraces, type PoolTrace } from '../../../src/rl/distill/pool';
import { Experiment } from '../../../src/rl/experiment';
import { parseRunConfig } from '../../../src/rl/runConfig';
import type { TaskInstance } from '../../../src/rl/tasks/types';
import type { RolloutRecord } from '../../../src/rl/trainer';

const instance = (prompt: string, answer: string, split: 'easy' | 'hard'): TaskInstance => ({ prompt, answer, demonstration: '', split });
const poolTrace = (inst: TaskInstance, text: string, teacherAnswer: string | null, secondAnswer: string | null = teacherAnswer): PoolTrace => ({
  instance: inst,
  text,
  teacherAnswer,
  secondAnswer,
  correct: teacherAnswer === inst.answer,
  rollout: { prompt: [], tokens: [], logprobs: [], entropies: [], truncated: false, actSeed: 0 },
});

const hard = poolTrace(instance('5+3*2=', '16', 'hard'), '{5+3=8;8*2=16}16', '16', '4');
const easy = poolTrace(instance('3+4=', '7', 'easy'), '{3+4=7}7', '7');
const wrong = poolTrace(instance('3+5=', '8', 'easy'), '{3+5=9}9', '9');
const unanswered = poolTrace(instance('2+2=', '4', 'easy'), '{2+2=4', null);

describe('distill targets and selection pieces', () => {
  it('makes the student target of each mode from a trace', () => {
    expect(studentExample(hard, 'think')).toEqual({ prompt: '5+3*2=', completion: '{5+3=8;8*2=16}16' });
    expect(studentExample(hard, 'answer-only')).toEqual({ prompt: '5+3*2=', completion: '16' });
    // Mixed: think behind T on hard prompts, the answer alone behind N on easy ones.
    expect(studentExample(hard, 'mixed')).toEqual({ prompt: 'T5+3*2=', completion: '{5+3=8;8*2=16}16' });
    expect(studentExample(easy, 'mixed')).toEqual({ prompt: 'N3+4=', completion: '7' });
    expect(() => studentExample(unanswered, 'think')).toThrow(/no answer/);
  });

  it('asks a mixed student with the mode its difficulty calls for, or the forced one', () => {
    expect(studentPrompt(hard.instance, 'think')).toBe('5+3*2=');
    expect(studentPrompt(hard.instance, 'mixed')).toBe('T5+3*2=');
    expect(studentPrompt(easy.instance, 'mixed')).toBe('N3+4=');
    expect(studentPrompt(hard.instance, 'mixed', 'no-think')).toBe('N5+3*2=');
    expect(studentPrompt(easy.instance, 'mixed', 'think')).toBe('T3+4=');
  });

  it('keeps traces with an answer, and only the correct ones when asked', () => {
    const pool = [hard, easy, wrong, unanswered];
    expect(usableTraces(pool, true)).toEqual([hard, easy]);
    expect(usableTraces(pool, false)).toEqual([hard, easy, wrong]);
  });

  it('samples the pool in slices no larger than the batches the resource guard admitted', () => {
    // Training rollouts 8 × 8 = 64 rows; held-out pass@k 16 × 8 = 128 rows: the larger is admitted.
    expect(poolSlice({ prompts_per_step: 8, num_generations: 8 }, 16)).toBe(128);
    expect(poolSlice({ prompts_per_step: 8, num_generations: 8 }, 0)).toBe(64);
    expect(poolSlice({ prompts_per_step: 64, num_generations: 64 }, 512)).toBe(POOL_SLICE);
  });

  it('describes what the student was handed', () => {
    // Lengths 16 and 8; one hard of two; one disagreement; patterns "+*" and "+".
    expect(handedMetrics([hard, easy])).toEqual({ 'distill/trace_length': 12, 'distill/hard_share': 0.5, 'distill/disagreement_share': 0.5, 'distill/patterns': 2 });
  });

  it('reports the traces of an iteration as GRPO reports rollouts', () => {
    const rollout = (correct: boolean, tokens: number[], entropies: number[]) => ({ correct, reward: Number(correct), tokens, entropies }) as unknown as RolloutRecord;
    // Rewards 1, 0, 1; entropies (1 + 2 + 3 + 6) / 4; correct lengths 2 and 1, incorrect 3.
    expect(chunkMetrics([rollout(true, [1, 2], [1, 2]), rollout(false, [1, 2, 3], [3]), rollout(true, [4], [6])])).toEqual({
      reward: 2 / 3,
      accuracy_train: 2 / 3,
      entropy: 3,
      'completions/mean_length_correct': 1.5,
      'completions/mean_length_incorrect': 3,
    });
    expect(chunkMetrics([])).toEqual({});
  });

  it('refuses configs it cannot run, naming what is wrong', () => {
    const base = { algorithm: 'distill', task: 'think-budget', difficulty: { mode: 0 } };
    expect(() => parseRunConfig({ ...base, task: 'addition', difficulty: { digits: 1 } })).toThrow(/task: distill needs the think-budget task/);
    expect(() => parseRunConfig({ ...base, difficulty: { mode: 1 } })).toThrow(/difficulty.mode: distill's teacher .* must be 0/);
    expect(() => parseRunConfig({ ...base, distill: { pool: 16, budget: 32 } })).toThrow(/distill.budget: the budget \(32\) cannot exceed/);
    expect(() => parseRunConfig({ ...base, distill: { selector: 'longest' } })).toThrow(/distill.selector: must be one of random, long, disagreement, diversity/);
    expect(parseRunConfig(base).distill.selector).toBe('random');
  });
});

/** A weak teacher (100 warm-start steps) is enough for these effects: every trace with an answer is kept. */
const SMALL = {
  algorithm: 'distill',
  task: 'think-budget',
  difficulty: { hardPercent: 50, steps: 2, mode: 0 },
  seed: 5,
  model: { preset: 'tiny', nLayer: 1, contextLength: 32 },
  sft: { steps: 100, batch: 16, lr: 1e-2 },
  grpo: { max_completion_length: 22 },
  distill: { pool: 96, budget: 48, correct_only: false, steps_per_iteration: 15, batch: 16, learning_rate: 1e-2, second_steps: 10 },
  iterations: 4,
  eval: { n: 24, every: 4 },
};

async function distilled(over: object): Promise<Record<string, number>> {
  const run = parseRunConfig({ ...SMALL, distill: { ...SMALL.distill, ...over } });
  const exp = new Experiment(await createWasmBackend(), run);
  await exp.warmStart();
  let last: Record<string, number> = {};
  for (let i = 0; i < run.iterations; i++) last = { ...last, ...(await exp.trainStep()).metrics };
  return last;
}

describe('distill on a seeded wasm run', () => {
  it('answer-only targets make a student that writes fewer tokens; the long selector hands over longer traces', async () => {
    const [think, answerOnly, long] = await Promise.all([distilled({}), distilled({ targets: 'answer-only' }), distilled({ selector: 'long' })]);
    expect(think['student/examples']).toBe(48);
    // An answer is 1–3 characters; a think trace of the easy split alone is 8.
    expect(answerOnly['student/tokens']).toBeLessThan(4);
    expect(think['student/tokens']).toBeGreaterThan(answerOnly['student/tokens'] + 3);
    expect(long['distill/trace_length']).toBeGreaterThan(think['distill/trace_length'] + 0.5);
  }, 120_000);

  it('resumes exactly: the student, its optimizer and the selection continue as if never stopped', async () => {
    const run = parseRunConfig({ ...SMALL, iterations: 3, eval: { n: 8, every: 1 } });
    const be = await createWasmBackend();
    const a = new Experiment(be, run);
    await a.warmStart();
    await a.trainStep();
    const saved = await a.saveState();
    expect(Object.keys(saved.trainer?.models ?? {}).sort()).toEqual([DISTILL_MODELS.second, DISTILL_MODELS.student]);
    const b = new Experiment(be, run);
    b.loadState(saved);
    const [ra, rb] = [await a.trainStep(), await b.trainStep()];
    expect(rb.metrics.loss).toBe(ra.metrics.loss);
    expect(rb.metrics['student/accuracy']).toBe(ra.metrics['student/accuracy']);
    expect(rb.rollouts.map((r) => r.completion)).toEqual(ra.rollouts.map((r) => r.completion));
    // The teacher's held-out evaluation adds the think-budget plots of its task; the student's follow.
    expect(rb.plots?.map((p) => p.id)).toEqual(expect.arrayContaining([DISTILL_PLOTS.examples, DISTILL_PLOTS.tokens]));
    const [sa, sb] = [(await a.saveState()).trainer!.models!.student, (await b.saveState()).trainer!.models!.student];
    expect(sb).toEqual(sa);
  }, 120_000);
});
