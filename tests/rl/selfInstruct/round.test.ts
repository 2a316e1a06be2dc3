/** Self-instruct's proposal round, piece by piece: seed pairs, judging K answers, the round's metrics and histogram. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/engine/rng';
import { proposalGrammar } from '../../../src/rl/reasoning/selfInstruct';
import { difficultyPlot, judgeProposals, roundMetrics, seedInstances, seedPairs } from '../../../src/rl/selfInstruct/round';
import { getTask } from '../../../src/rl/tasks/registry';

const addition = getTask('addition');
const grammar = proposalGrammar('addition');
const parsed = (text: string) => {
  const [problem, stated] = text.split('=');
  return { instance: { prompt: `${problem}=`, answer: String(problem.split('+').map(Number).reduce((a, b) => a + b)), demonstration: '' }, stated };
};

describe('self-instruct round', () => {
  it('pairs two different seeds per proposal, and draws the same seeds for the same run seed', () => {
    const pairs = seedPairs(new Rng(3), 4, 200);
    expect(pairs.every(([a, b]) => a !== b && a >= 0 && a < 4 && b >= 0 && b < 4)).toBe(true);
    // Every ordered pair of 4 seeds turns up in 200 draws.
    expect(new Set(pairs.map((p) => p.join())).size).toBe(12);
    const d = { digits: 2 };
    expect(seedInstances(addition, d, 7, 5)).toEqual(seedInstances(addition, d, 7, 5));
    expect(seedInstances(addition, d, 7, 5)).not.toEqual(seedInstances(addition, d, 8, 5));
  });

  it('judges each proposal: pass rate against the gold answer, stated answer right or not, each filter', () => {
    const proposals = [parsed('2+3=5'), parsed('2+3=6'), parsed('4+4=8'), parsed('1+1=2')];
    const answers = [
      ['5', '5', '5', '6'], // right stated answer, majority agrees: both filters keep (share 3/4)
      ['6', '6', '5', null], // wrong stated answer that the majority repeats: answer-matching keeps it (share 2/4)
      ['8', '9', '7', '6'], // all different: the majority is the first-seen "8", share 1/4
      [null, null, null, null], // no answers at all
    ];
    const judged = judgeProposals(addition, grammar, proposals, answers, 0.5);
    expect(judged.map((j) => j.passRate)).toEqual([0.75, 0.25, 0.25, 0]);
    expect(judged.map((j) => j.statedCorrect)).toEqual([true, false, true, true]);
    expect(judged.map((j) => j.kept['answer-matching'])).toEqual([true, true, true, false]);
    expect(judged.map((j) => j.kept['self-consistency'])).toEqual([true, true, false, false]);
    expect(judged.map((j) => j.kept.none)).toEqual([true, true, true, true]);

    const m = roundMetrics(judged, [1, 0.5], 6, { record: 1, no_answer: 0, grammar: 1, too_long: 0 }, 'answer-matching');
    expect(m['self_instruct/proposals']).toBe(6);
    expect(m['self_instruct/parsed']).toBeCloseTo(4 / 6);
    expect(m['self_instruct/rejected/record']).toBe(1);
    expect(m['self_instruct/rejected/grammar']).toBe(1);
    expect(m['self_instruct/kept/answer_matching']).toBe(0.75);
    expect(m['self_instruct/kept/self_consistency']).toBe(0.5);
    expect(m['self_instruct/kept/none']).toBe(1);
    expect(m['self_instruct/stated_correct/all']).toBe(0.75);
    expect(m['self_instruct/stated_correct/answer_matching']).toBeCloseTo(2 / 3);
    expect(m['self_instruct/stated_correct/self_consistency']).toBe(0.5);
    expect(m['self_instruct/pass_rate/seed']).toBe(0.75);
    expect(m['self_instruct/pass_rate/synthetic']).toBeCloseTo(1.25 / 4);
    expect(m['self_instruct/pass_rate/kept']).toBeCloseTo(1.25 / 3);
  });

  it('leaves out a mean over nothing, and draws the pass-rate histogram of seeds, parsed and kept proposals', () => {
    const m = roundMetrics([], [], 3, { record: 3 }, 'self-consistency');
    expect(m['self_instruct/parsed']).toBe(0);
    expect('self_instruct/kept/answer_matching' in m || 'self_instruct/pass_rate/kept' in m || 'self_instruct/stated_correct/all' in m).toBe(false);

    const judged = judgeProposals(addition, grammar, [parsed('2+3=5'), parsed('4+4=8')], [['5', '5', '5', '5'], ['1', '2', '3', '8']], 0.5);
    const plot = difficultyPlot([0, 0.1, 0.5, 1], judged, 'self-consistency');
    expect(plot.series.map((s) => s.label)).toEqual(['seed', 'synthetic (parsed)', 'synthetic (kept: self-consistency)']);
    expect(plot.series[0].points.map((p) => p.x)).toEqual([0.1, 0.3, 0.5, 0.7, 0.9]);
    expect(plot.series[0].points.map((p) => p.y)).toEqual([0.5, 0, 0.25, 0, 0.25]);
    expect(plot.series[1].points.map((p) => p.y)).toEqual([0, 0.5, 0, 0, 0.5]);
    // Self-consistency keeps only the unanimous 2+3 (pass rate 1).
    expect(plot.series[2].points.map((p) => p.y)).toEqual([0, 0, 0, 0, 1]);
  });
});
