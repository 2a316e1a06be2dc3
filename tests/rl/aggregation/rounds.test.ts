/** Aggregation's pure pieces: pool prompts, held-out rounds over a scripted sampler, warm-start demonstrations, config rules. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/engine/rng';
import { DEFAULT_AGGREGATION, type AggregationConfig } from '../../../src/rl/aggregation/config';
import { nearMiss, withAggregationDemonstrations } from '../../../src/rl/aggregation/demonstrations';
import { answerEquivalence, poolPrompt } from '../../../src/rl/aggregation/pool';
import { aggregationRounds, roundsMetrics, roundsPlot } from '../../../src/rl/aggregation/rounds';
import { parseAggregationPrompt } from '../../../src/rl/reasoning/aggregation';
import { parseRunConfig } from '../../../src/rl/runConfig';
import { getTask } from '../../../src/rl/tasks/registry';
import { isCorrect, type TaskInstance } from '../../../src/rl/tasks/types';

const addition = getTask('addition');
const derivative = getTask('derivative');
const inst = (prompt: string, answer: string): TaskInstance => ({ prompt, answer, demonstration: answer });

describe('pool prompts', () => {
  it('list the pool answers; an answer holding the terminator becomes an empty slot', () => {
    expect(poolPrompt('3+4=', ['7', null, '7=1', '8'])).toBe('3+4=7===8=');
  });

  it('vote by symbolic equivalence on polynomial tasks and by exact match elsewhere', () => {
    expect(answerEquivalence(derivative)('2x+1', '1+2x')).toBe(true);
    expect(answerEquivalence(addition)('07', '7')).toBe(false);
    expect(answerEquivalence(addition)('7', '7')).toBe(true);
  });
});

describe('held-out aggregation rounds', () => {
  const cfg: AggregationConfig = { ...DEFAULT_AGGREGATION, pool_size: 4, k: 2, rounds: 2 };
  const problems = [inst('d/dx x^2+x=', '2x+1'), inst('d/dx 3x=', '3')];
  // Round 0: problem 1 has 2x+1 once and 1+2x once (an equivalent form), problem 2 has no correct answer.
  const script: Record<number, string[][]> = {
    0: [
      ['2x+1', '2x', '1+2x', '2x'],
      ['4', '4', '2', ''],
    ],
    1: [
      ['2x+1', '2x+1', '2x', '2x+1'],
      ['4', '3', '4', '4'],
    ],
    2: [
      ['2x+1', '2x+1', '2x+1', '2x+1'],
      ['4', '4', '4', '4'],
    ],
  };
  const seen: { prompts: readonly string[]; round: number }[] = [];
  const run = () =>
    aggregationRounds(derivative, problems, cfg, async (prompts, round) => {
      seen.push({ prompts, round });
      return script[round];
    });

  it('builds each round’s prompts from the previous round’s answers', async () => {
    seen.length = 0;
    const r = await run();
    expect(seen.map((s) => s.round)).toEqual([0, 1, 2]);
    expect(seen[0].prompts).toEqual(['d/dx x^2+x=', 'd/dx 3x=']);
    expect(seen[1].prompts).toEqual(['d/dx x^2+x=2x+1=2x=1+2x=2x=', 'd/dx 3x=4=4=2==']);
    expect(parseAggregationPrompt(seen[2].prompts[1]).candidates).toEqual(['4', '3', '4', '4']);
    expect(r.prompts).toEqual(seen.map((s) => s.prompts));
  });

  it('reports pass@1 per round, the initial pool’s pass@k and pass@m, and both votes (hand-computed)', async () => {
    const r = await run();
    // Round 0: 2 of 4 correct on problem 1 (2x+1 and 1+2x), 0 of 4 on problem 2 → 2/8.
    // Round 1: 3/4 and 1/4 → 4/8. Round 2: 4/4 and 0/4 → 4/8.
    expect(r.passAt1).toEqual([0.25, 0.5, 0.5]);
    // pass@2 of (2 of 4) = 1 − C(2,2)/C(4,2) = 5/6; of (0 of 4) = 0. pass@4: 1 and 0.
    expect(r.poolPassAtK).toBeCloseTo(5 / 12, 12);
    expect(r.poolPassAtM).toBe(0.5);
    // Majority on problem 1: 2x (2 votes) beats each form of 2x+1 → wrong; the equivalence vote merges 2x+1 and
    // 1+2x (2 votes, seen first) → right. Problem 2: 4 wins both, wrong.
    expect(r.majorityVote).toBe(0);
    expect(r.equivalenceVote).toBe(0.5);
    const m = roundsMetrics(r);
    expect(m).toMatchObject({ 'aggregation/pass@1_round0': 0.25, 'aggregation/pass@1_round2': 0.5, 'aggregation/pool_pass@m': 0.5, 'aggregation/equivalence_vote': 0.5 });
    const plot = roundsPlot(r, cfg);
    expect(plot.series.map((s) => s.label)).toEqual(['aggregation pass@1', 'pool pass@2', 'pool pass@4 (ceiling)', 'majority vote', 'equivalence-aware vote']);
    expect(plot.series[0].points).toEqual([{ x: 0, y: 0.25 }, { x: 1, y: 0.5 }, { x: 2, y: 0.5 }]);
    expect(plot.series[2].points.every((p) => p.y === 0.5)).toBe(true);
  });
});

describe('warm-start demonstrations', () => {
  const cfg: AggregationConfig = { ...DEFAULT_AGGREGATION, pool_size: 4, warm_start_share: 1 };
  const difficulty = { digits: 2 };

  it('list the correct answer 1 to m times among wrong near misses, and demonstrate the correct answer', () => {
    const task = withAggregationDemonstrations(addition, cfg);
    const rng = new Rng(5, 1);
    const counts = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const d = task.generate(rng, difficulty);
      const { problem, candidates } = parseAggregationPrompt(d.prompt);
      expect(problem).toMatch(/^\d+\+\d+=$/);
      expect(candidates).toHaveLength(4);
      expect(d.demonstration).toBe(d.answer);
      const problemInstance = { ...d, prompt: problem };
      const right = candidates.filter((c) => isCorrect(addition, c, problemInstance)).length;
      expect(right).toBeGreaterThanOrEqual(1);
      counts.add(right);
      // A wrong candidate is never the answer in another form.
      for (const c of candidates) if (c !== d.answer) expect(isCorrect(addition, c, problemInstance)).toBe(false);
    }
    expect([...counts].sort()).toEqual([1, 2, 3, 4]);
  });

  it('are drawn from the warm-start stream only in the configured share; share 0 leaves the task as it is', () => {
    const none = withAggregationDemonstrations(addition, { ...cfg, warm_start_share: 0 });
    const [a, b] = [new Rng(2, 1), new Rng(2, 1)];
    for (let i = 0; i < 20; i++) {
      const plain = addition.generate(a, difficulty);
      a.uniform(); // the wrapper's coin
      expect(none.generate(b, difficulty)).toEqual(plain);
    }
    const half = withAggregationDemonstrations(addition, { ...cfg, warm_start_share: 0.5 });
    const rng = new Rng(3, 1);
    const share = Array.from({ length: 400 }, () => half.generate(rng, difficulty).prompt.split('=').length > 2).filter(Boolean).length / 400;
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.6);
  });

  it('a near miss changes one digit, never leads a number with 0, and is wrong', () => {
    const rng = new Rng(9, 1);
    const gold = inst('37+45=', '82');
    for (let i = 0; i < 100; i++) {
      const miss = nearMiss(addition, gold, rng, difficulty)!;
      expect(miss).toMatch(/^[1-9]\d$/);
      expect(miss).not.toBe('82');
      expect([...miss].filter((c, j) => c !== '82'[j])).toHaveLength(1);
    }
  });
});

describe('run config', () => {
  const base = {
    algorithm: 'aggregation',
    task: 'addition',
    difficulty: { digits: 1 },
    model: { preset: 'tiny', contextLength: 32 },
    grpo: { num_generations: 4, prompts_per_step: 4, max_completion_length: 4 },
    aggregation: { pool_size: 4, k: 2 },
  };

  it('fills the aggregation defaults and accepts a run whose prompts fit', () => {
    const run = parseRunConfig(base);
    expect(run.aggregation).toEqual({ ...DEFAULT_AGGREGATION, pool_size: 4, k: 2 });
    expect(parseRunConfig({}).aggregation).toEqual(DEFAULT_AGGREGATION);
  });

  it('names what an aggregation run cannot do', () => {
    expect(() => parseRunConfig({ ...base, aggregation: { pool_size: 2, k: 3 } })).toThrow(/aggregation\.k: k \(3\) must not exceed pool_size \(2\)/);
    expect(() => parseRunConfig({ ...base, model: { preset: 'tiny', contextLength: 24 } })).toThrow(/model\.contextLength: 24 is too short for aggregation prompts.*need 29/);
    expect(() => parseRunConfig({ ...base, grpo: { ...base.grpo, label_mode: 'ttrl' } })).toThrow(/grpo\.label_mode: must be "gold" for aggregation/);
    expect(() => parseRunConfig({ ...base, grpo: { ...base.grpo, dynamic_sampling_rounds: 2 } })).toThrow(/grpo\.dynamic_sampling_rounds: must be 0 for aggregation/);
    // The same settings are fine for GRPO, which lists no candidates.
    expect(parseRunConfig({ ...base, algorithm: 'grpo', model: { preset: 'tiny', contextLength: 24 } }).algorithm).toBe('grpo');
  });
});
