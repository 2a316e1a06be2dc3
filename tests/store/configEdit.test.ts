/** Field edits by path, and validation messages sorted into the settings sections that own them. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RUN, type RunConfig } from '../../src/rl/runConfig';
import { getIn, hasProblems, problemsBySection, setIn } from '../../src/store/configEdit';

describe('setIn / getIn', () => {
  it('replaces one value without touching the original or its siblings', () => {
    const next = setIn(DEFAULT_RUN, 'grpo.restrain.kappa', 5);
    expect(next.grpo.restrain.kappa).toBe(5);
    expect(DEFAULT_RUN.grpo.restrain.kappa).toBe(2);
    expect(next.grpo.restrain.sigma).toBe(DEFAULT_RUN.grpo.restrain.sigma);
    expect(next.sft).toBe(DEFAULT_RUN.sft);
    expect(getIn(next, 'grpo.restrain.kappa')).toBe(5);
  });

  it('creates missing objects on the way', () => {
    const next = setIn(DEFAULT_RUN, 'rewards.weights.judge', 0.5);
    expect(next.rewards.weights).toEqual({ correct: 1, judge: 0.5 });
    expect(getIn(next, 'model.mta.preConv.cq')).toBeUndefined();
  });
});

describe('problemsBySection', () => {
  it('is empty for the defaults', () => {
    expect(hasProblems(problemsBySection(DEFAULT_RUN))).toBe(false);
  });

  it('puts each message under its section', () => {
    let c: RunConfig = setIn(DEFAULT_RUN, 'model.nHead', 3);
    c = setIn(c, 'grpo.temperature', 0);
    c = setIn(c, 'grpo.beta', -1);
    c = setIn(c, 'difficulty.digits', 99);
    c = setIn(c, 'rewards.weights', { correct: 0 });
    c = setIn(c, 'seed', Number.NaN);
    const p = problemsBySection(c);
    expect(p.model).toEqual([expect.stringMatching(/model\.nHead: heads \(3\) must divide the width/)]);
    expect(p.rollout).toEqual([expect.stringMatching(/grpo\.temperature: must be a number in \(0, 100\] \(got 0\)/)]);
    expect(p.algorithm).toEqual([expect.stringMatching(/grpo\.beta: must be a number in \[0, 100\] \(got -1\)/)]);
    expect(p.task).toEqual([expect.stringMatching(/difficulty\.digits: digits per operand must be an integer in \[1, 6\] \(got 99\)/)]);
    expect(p.rewards).toEqual([expect.stringMatching(/at least one reward component/)]);
    expect(p.run).toEqual([expect.stringMatching(/seed: must be an integer in \[0, 4294967295\] \(got NaN\)/)]);
  });

  it('reports an MTA kernel that padding cannot centre', () => {
    const c = setIn(setIn(DEFAULT_RUN, 'model.mta', { layers: [], preConv: { cq: 2, ck: 4 }, postConv: null, padKey: 'both', headMixPre: false, headMixPost: 'none', groupNorm: false, depthScale: false, gate: 'none' }), 'seed', 1);
    expect(problemsBySection(c).model).toEqual([expect.stringMatching(/key kernel size 4 must be odd/)]);
  });
});
