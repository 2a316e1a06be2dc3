/**
 * The aggregation trainer's wiring on a briefly warm-started parity policy (wasm): the candidates' pass@k advantages
 * and the aggregator's group advantages reach GRPO's optimisation exactly as computed, the aggregation prompts list
 * each pool's answers, the metrics count what the records hold, evaluation draws the per-round plot, and a resumed
 * run continues exactly as an uninterrupted one.
 */
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../../../src/engine/backend/wasm';
import { readWeights } from '../../../src/model/weights';
import { AggregationTrainer } from '../../../src/rl/aggregation/trainer';
import { poolPrompt } from '../../../src/rl/aggregation/pool';
import { Experiment } from '../../../src/rl/experiment';
import { groupAdvantages } from '../../../src/rl/grpo/advantages';
import type { TrainSequence } from '../../../src/rl/grpo/batch';
import { passAtKAdvantages } from '../../../src/rl/reasoning/passAtK';
import { parseRunConfig } from '../../../src/rl/runConfig';
import type { RolloutRecord } from '../../../src/rl/trainer';

const RUN = parseRunConfig({
  algorithm: 'aggregation',
  task: 'parity',
  difficulty: { length: 3 },
  seed: 7,
  model: { preset: 'tiny', contextLength: 24 },
  sft: { steps: 30, batch: 16, lr: 3e-3 },
  grpo: { num_generations: 4, prompts_per_step: 4, max_completion_length: 2 },
  aggregation: { pool_size: 4, k: 2, rounds: 2, warm_start_share: 0.5 },
  iterations: 4,
  eval: { n: 8, every: 2 },
});
const P = RUN.grpo.prompts_per_step, m = RUN.aggregation.pool_size, G = RUN.grpo.num_generations;

/** Keeps the generation batch that step() hands to GRPO's optimisation. */
class Recording extends AggregationTrainer {
  learned: TrainSequence[] = [];
  override learn(seqs: readonly TrainSequence[], order: readonly number[]) {
    this.learned = [...seqs];
    return super.learn(seqs, order);
  }
}

async function warmStarted() {
  const exp = new Experiment(await createWasmBackend(), RUN);
  await exp.warmStart();
  return exp;
}

const groupsOf = (rs: readonly RolloutRecord[]) => [...new Set(rs.map((r) => r.group))].map((g) => rs.filter((r) => r.group === g));

describe('aggregation trainer', () => {
  it('trains candidates with pass@k advantages and aggregations of their pools with group advantages, in one generation batch', async () => {
    const exp = await warmStarted();
    const trainer = new Recording(exp.be, exp.policy, exp.tokenizer, exp.task, { ...RUN, evalN: RUN.eval.n });
    const { rollouts, metrics } = await trainer.step();
    expect(rollouts).toHaveLength(P * m + P * G);
    const candidates = groupsOf(rollouts.slice(0, P * m));
    const aggregations = groupsOf(rollouts.slice(P * m));
    expect(candidates.map((g) => g.length)).toEqual(Array(P).fill(m));
    expect(aggregations.map((g) => g[0].group)).toEqual([4, 5, 6, 7]);
    // The check is only telling when some pool mixes right and wrong answers.
    expect(candidates.some((g) => g.some((r) => r.correct) && g.some((r) => !r.correct))).toBe(true);
    for (const g of candidates) {
      expect(g.map((r) => r.advantage)).toEqual(passAtKAdvantages(g.map((r) => r.correct), RUN.aggregation.k));
    }
    aggregations.forEach((g, gi) => {
      const pool = candidates[gi];
      for (const r of g) {
        expect(r.prompt).toBe(poolPrompt(pool[0].prompt, pool.map((c) => c.answer)));
        expect(r.gold).toBe(pool[0].gold);
      }
    });
    const expected = groupAdvantages(aggregations.flat().map((r) => r.reward), G, RUN.grpo.scale_rewards).advantages;
    expect(aggregations.flat().map((r) => r.advantage)).toEqual(expected);
    // What GRPO's optimisation received: every record's prompt, completion and advantage, in record order.
    expect(trainer.learned).toHaveLength(rollouts.length);
    trainer.learned.forEach((s, i) => {
      expect(exp.tokenizer.decode(s.prompt)).toBe(rollouts[i].prompt);
      expect(s.completion).toEqual(rollouts[i].tokens);
      expect(s.advantage).toBe(rollouts[i].advantage);
    });
    const mean = (xs: boolean[]) => xs.filter(Boolean).length / xs.length;
    expect(metrics['aggregation/train_pass@1']).toBeCloseTo(mean(aggregations.flat().map((r) => r.correct)), 12);
    expect(metrics['aggregation/train_candidate_accuracy']).toBeCloseTo(mean(candidates.flat().map((r) => r.correct)), 12);
    expect(metrics.accuracy_train).toBeCloseTo(metrics['aggregation/train_candidate_accuracy'], 12);
  });

  it('evaluates T rounds on the held-out set and draws pass@1 per round against the pool', async () => {
    const exp = await warmStarted();
    const trainer = new AggregationTrainer(exp.be, exp.policy, exp.tokenizer, exp.task, { ...RUN, evalN: RUN.eval.n });
    const { metrics, plots } = await trainer.evaluate();
    for (const t of [0, 1, 2]) expect(metrics[`aggregation/pass@1_round${t}`]).toBeGreaterThanOrEqual(0);
    expect(metrics['aggregation/pool_pass@m']).toBeGreaterThanOrEqual(metrics['aggregation/pool_pass@k']);
    expect(metrics['aggregation/pool_pass@k']).toBeGreaterThanOrEqual(metrics['aggregation/pass@1_round0'] - 1e-12);
    expect(plots[0].id).toBe('aggregation-rounds');
    expect(plots[0].series[0].points.map((p) => p.y)).toEqual([0, 1, 2].map((t) => metrics[`aggregation/pass@1_round${t}`]));
  });

  it('resumes from a saved state exactly as an uninterrupted run continues', async () => {
    const straight = await warmStarted();
    await straight.trainStep();
    const second = await straight.trainStep();

    const first = await warmStarted();
    await first.trainStep();
    const saved = await first.saveState();
    const resumed = new Experiment(await createWasmBackend(), RUN);
    resumed.loadState(saved);
    const again = await resumed.trainStep();

    expect(again.rollouts.map((r) => [r.prompt, r.completion, r.advantage])).toEqual(second.rollouts.map((r) => [r.prompt, r.completion, r.advantage]));
    expect(again.metrics['aggregation/pass@1_round1']).toBe(second.metrics['aggregation/pass@1_round1']);
    expect(await readWeights(resumed.be, resumed.policy)).toEqual(await readWeights(straight.be, straight.policy));
  });
});
