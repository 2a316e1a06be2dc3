/** J1 pairwise judge data: pairs, both-order batches, verdict parsing, consistency reward and metrics by hand. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/engine/rng';
import { datasetTask } from '../../../src/rl/judgeTraining/datasetTask';
import {
  bothOrders,
  buildJudgePairs,
  consistencyRewards,
  j1Batch,
  j1Metrics,
  j1Task,
  j1Verdict,
  parseJ1Verdict,
  verdictsByPair,
  type J1Instance,
  type PolicyGroup,
} from '../../../src/rl/judgeTraining/j1';
import { exactMatch } from '../../../src/rl/tasks/types';

const groups: PolicyGroup[] = [
  { problem: '3+4=', gold: '7', answers: [{ completion: '7', correct: true }, { completion: '8', correct: false }, { completion: '6', correct: false }] },
  { problem: '2+2=', gold: '4', answers: [{ completion: '4', correct: true }, { completion: '4', correct: true }] },
  { problem: '5+1=', gold: '6', answers: [{ completion: '5', correct: false }] },
  { problem: '9+9=', gold: '18', answers: [{ completion: '18', correct: true }, { completion: '99999999', correct: false }] },
];

describe('dataset task', () => {
  it('draws only its instances, reproducibly, and names a character outside its alphabet', () => {
    const instances = ['a', 'b', 'c'].map((x) => ({ prompt: `${x}?`, answer: x, demonstration: x }));
    const task = datasetTask({ name: 'letters', title: 'Letters', description: '', alphabet: 'abc?', instances, extractAnswer: (c) => c, verify: exactMatch });
    const draw = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 30 }, () => task.generate(rng).prompt);
    };
    expect(new Set(draw(1))).toEqual(new Set(['a?', 'b?', 'c?']));
    expect(draw(1)).toEqual(draw(1));
    expect(() => datasetTask({ name: 'x', title: '', description: '', alphabet: 'ab', instances: [{ prompt: 'a!', answer: 'a', demonstration: 'a' }], extractAnswer: (c) => c, verify: exactMatch })).toThrow(
      /x: instance 0 has "!" in its prompt/,
    );
    expect(() => datasetTask({ name: 'x', title: '', description: '', alphabet: 'ab', instances: [], extractAnswer: (c) => c, verify: exactMatch })).toThrow(/at least one instance/);
  });
});

describe('J1 pairs', () => {
  it('pairs a correct with an incorrect answer, skipping one-kind and too-long prompts', () => {
    const built = buildJudgePairs(groups, new Rng(5), { pairsPerPrompt: 5, maxPromptChars: 16 });
    expect(built.skippedOneKind).toBe(2);
    // "9+9=A18B99999999|" is 17 characters.
    expect(built.skippedTooLong).toBe(1);
    expect(built.pairs.map((p) => p.id)).toEqual([0, 1]);
    for (const p of built.pairs) {
      expect(p.problem).toBe('3+4=');
      expect(p.correct === 'A' ? p.a : p.b).toBe('7');
      expect(['8', '6']).toContain(p.correct === 'A' ? p.b : p.a);
    }
    expect(new Set(built.pairs.map((p) => p.a + p.b)).size).toBe(2);
    expect(buildJudgePairs(groups, new Rng(5), { pairsPerPrompt: 1, maxPromptChars: 64 }).pairs).toHaveLength(2);
  });

  it('gives each pair two instances with opposite correct letters, linked by the pair id', () => {
    const [ab, ba] = bothOrders({ id: 7, problem: '3+4=', gold: '7', a: '8', b: '7', correct: 'B' });
    expect(ab).toEqual({ prompt: '3+4=A8B7|', answer: 'B', demonstration: '7[[B]]', pairId: 7, order: 'ab' });
    expect(ba).toEqual({ prompt: '3+4=A7B8|', answer: 'A', demonstration: '7[[A]]', pairId: 7, order: 'ba' });
  });

  it('puts both orders of every drawn pair in the same batch, side by side', () => {
    const pairs = Array.from({ length: 6 }, (_, id) => ({ id, problem: `${id}+0=`, gold: `${id}`, a: `${id}`, b: '9', correct: 'A' as const }));
    const batch = j1Batch(pairs, new Rng(2), 4);
    expect(batch).toHaveLength(8);
    for (let i = 0; i < 8; i += 2) {
      expect(batch[i].pairId).toBe(batch[i + 1].pairId);
      expect([batch[i].order, batch[i + 1].order]).toEqual(['ab', 'ba']);
    }
    expect(new Set(batch.map((x) => x.pairId)).size).toBe(4);
    expect(() => j1Batch(pairs, new Rng(2), 7)).toThrow(/pairs per batch must be an integer in \[1, 6\] \(got 7\)/);
  });
});

describe('J1 verdicts', () => {
  const inst: J1Instance = { prompt: '3+4=A8B7|', answer: 'B', demonstration: '7[[B]]', pairId: 0, order: 'ab' };

  it('reads one verdict at the end and scores its correctness, naming what is malformed', () => {
    expect(parseJ1Verdict('7[[B]]')).toEqual({ letter: 'B', reasoning: '7' });
    expect(j1Verdict('7[[B]]', inst).score).toBe(1);
    expect(j1Verdict('[[A]]', inst)).toMatchObject({ score: 0, label: 'wrong' });
    expect(j1Verdict('7[B]', inst)).toMatchObject({ score: 0, label: 'malformed', rationale: 'no [[A]] or [[B]] verdict' });
    expect(j1Verdict('[[A]][[B]]', inst)).toMatchObject({ score: 0, rationale: '2 verdicts where one was expected' });
    expect(j1Verdict('[[B]]7', inst)).toMatchObject({ score: 0, rationale: 'text after the verdict: "7"' });
  });

  it('is a task whose demonstrations verify and whose alphabet covers its instances', () => {
    const pairs = buildJudgePairs(groups, new Rng(1), { pairsPerPrompt: 2, maxPromptChars: 64 }).pairs;
    const task = j1Task('0123456789+=', pairs.flatMap(bothOrders));
    expect(task.instances).toHaveLength(2 * pairs.length);
    for (const x of task.instances) expect(task.verify(task.extractAnswer(x.demonstration), x).score).toBe(1);
    expect(task.verify(null, task.instances[0]).label).toBe('malformed');
    expect(() => j1Task('abAB', [])).toThrow(/J1 pairwise judge: the policy's alphabet already uses "A", "B"/);
  });
});

describe('J1 consistency reward and metrics', () => {
  const p1 = { correctAB: 'A' as const, ab: ['A', 'B', 'A', null] as const, ba: ['B', 'B', null, 'B'] as const };
  const p2 = { correctAB: 'B' as const, ab: ['B', 'A'] as const, ba: ['A', 'A'] as const };

  it('gives 1 to rollout pair k only when both orders are right', () => {
    expect(consistencyRewards(p1)).toEqual([1, 0, 0, 0]);
    expect(consistencyRewards(p2)).toEqual([1, 0]);
    expect(() => consistencyRewards({ correctAB: 'A', ab: ['A'], ba: [] })).toThrow(/order ab has 1 rollouts, order ba 0/);
  });

  it('computes accuracy per order, consistent accuracy, flip rate and malformed rate', () => {
    const m = j1Metrics([p1, p2]);
    expect(m.rolloutPairs).toBe(6);
    expect(m.accuracyAB).toBeCloseTo(3 / 6);
    expect(m.accuracyBA).toBeCloseTo(5 / 6);
    expect(m.consistentAccuracy).toBeCloseTo(2 / 6);
    expect(m.flipRate).toBeCloseTo(2 / 6);
    expect(m.malformedRate).toBeCloseTo(2 / 12);
  });

  it('gathers a batch by pair id whatever the order of its instances', () => {
    const [ab, ba] = bothOrders({ id: 3, problem: '1+1=', gold: '2', a: '3', b: '2', correct: 'B' });
    const byPair = verdictsByPair([ba, ab], [['A', 'B'], ['B', 'B']]);
    expect(byPair).toEqual([{ correctAB: 'B', ab: ['B', 'B'], ba: ['A', 'B'] }]);
    expect(consistencyRewards(byPair[0])).toEqual([1, 0]);
    expect(() => verdictsByPair([ab], [['A']])).toThrow(/pair 3 has only one order/);
  });
});
