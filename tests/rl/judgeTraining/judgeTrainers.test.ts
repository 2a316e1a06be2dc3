/**
 * The j1 and onpolicy-rm trainers end to end on a small warm-started policy (wasm backend, seeded): a resumed
 * trainer continues exactly (the judge's weights and optimiser ride in TrainerState.models), and the on-policy
 * refresh trains the judge on pairs of the rollouts the policy has just sampled.
 */
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../../../src/engine/backend/wasm';
import type { Backend } from '../../../src/engine/backend';
import { CharTokenizer } from '../../../src/model/tokenizer';
import { Transformer } from '../../../src/model/transformer';
import { readWeights, writeWeights } from '../../../src/model/weights';
import { OnPolicyRmTrainer } from '../../../src/rl/judgeTraining/onPolicyTrainer';
import { DEFAULT_RUN, parseRunConfig, runModelConfig, type RunConfig } from '../../../src/rl/runConfig';
import { getTask } from '../../../src/rl/tasks/registry';
import type { Trainer } from '../../../src/rl/trainer';
import { createTrainer, type TrainerContext } from '../../../src/rl/trainers';
import { DemonstrationStream, warmStartTrainer } from '../../../src/rl/warmStart';

const small = {
  task: 'addition',
  difficulty: { digits: 1 },
  sft: { steps: 60, batch: 32, lr: 3e-3 },
  grpo: { ...DEFAULT_RUN.grpo, num_generations: 4, prompts_per_step: 8, max_completion_length: 4 },
  j1: { ...DEFAULT_RUN.j1, judge_sft_steps: 20, pool_prompts: 32, pool_answers: 8, pairs_per_batch: 2, generations_per_order: 2, heldout_pairs: 4, pool_refresh: 2 },
  iterations: 6,
};

async function context(be: Backend, run: RunConfig): Promise<TrainerContext> {
  const task = getTask(run.task);
  const tokenizer = new CharTokenizer(task.alphabet);
  const policy = Transformer.init(be, runModelConfig(run), run.seed);
  const sft = warmStartTrainer(be, policy, tokenizer, run.sft);
  const demos = new DemonstrationStream(task, run.difficulty, run.seed, run.sft.batch);
  for (let s = 0; s < run.sft.steps; s++) await sft.step(demos.next());
  return { be, run, policy, tokenizer, task };
}

async function steps(t: Trainer, n: number) {
  const out = [];
  for (let i = 0; i < n; i++) out.push((await t.step()).metrics);
  // Everything but the wall-clock timings.
  return out.map((m) => Object.fromEntries(Object.entries(m).filter(([k]) => k !== 'step_time' && !k.startsWith('time/'))));
}

describe.each(['j1', 'onpolicy-rm'] as const)('%s trainer', (algorithm) => {
  it('resumes exactly from a saved state (judge weights and optimiser in models)', async () => {
    const run = parseRunConfig({ ...small, algorithm, rewards: { weights: { correct: 0, model_judge: 1 } }, onpolicy_rm: { refresh_every: 1, refresh_iterations: 1, pairing: 'balanced' } });
    const be = await createWasmBackend();
    const c = await context(be, run);
    const first = createTrainer(c);
    await steps(first, 2);
    const saved = await first.saveState();
    const policyAt2 = await readWeights(be, c.policy);
    expect(Object.keys(saved.models ?? {})).toEqual(expect.arrayContaining(['judge', 'judge/adam_m', 'judge/adam_v', 'judge/counters']));
    const straight = await steps(first, 3);
    const judgeStraight = (await first.saveState()).models!.judge;

    writeWeights(be, c.policy, policyAt2);
    const resumed = createTrainer(c);
    resumed.loadState(saved);
    expect(resumed.iteration).toBe(2);
    expect(await steps(resumed, 3)).toEqual(straight);
    const judgeResumed = (await resumed.saveState()).models!.judge;
    for (const [name, w] of judgeStraight) expect(judgeResumed.get(name), name).toEqual(w);
  }, 60_000);
});

describe('on-policy refresh', () => {
  it('trains the judge on pairs of the rollouts the policy sampled in that iteration', async () => {
    // The gold reward keeps the policy's answers mixed (this is about where the judge's pairs come from).
    const run = parseRunConfig({ ...small, algorithm: 'onpolicy-rm', onpolicy_rm: { refresh_every: 1, refresh_iterations: 1, pairing: 'balanced' } });
    const be = await createWasmBackend();
    const trainer = createTrainer(await context(be, run)) as OnPolicyRmTrainer;
    let refreshed = 0;
    for (let i = 0; i < 3; i++) {
      const before = trainer.judgePool;
      const { rollouts, metrics } = await trainer.step();
      const pool = trainer.judgePool;
      if (!metrics['rm/refresh_pairs'] || metrics['rm/refresh_pairs'] < run.j1.pairs_per_batch) continue;
      refreshed++;
      expect(pool).not.toBe(before);
      expect(pool).toHaveLength(metrics['rm/refresh_pairs']);
      for (const p of pool) {
        const answers = rollouts.filter((r) => r.prompt === p.problem);
        const right = p.correct === 'A' ? p.a : p.b, wrong = p.correct === 'A' ? p.b : p.a;
        expect(answers.some((r) => r.completion === right && r.correct)).toBe(true);
        expect(answers.some((r) => r.completion === wrong && !r.correct)).toBe(true);
      }
    }
    expect(refreshed).toBeGreaterThan(0);
  }, 60_000);
});
