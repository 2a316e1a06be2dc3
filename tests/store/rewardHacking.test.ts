/** The reward-hacking read-out: judge mean vs gold correctness, their gap, and divergence flags. */
import { describe, expect, it } from 'vitest';
import { hackingSeries } from '../../src/store/rewardHacking';

const pts = (...values: number[]) => values.map((value, i) => ({ step: i + 1, value }));

describe('hackingSeries', () => {
  it('pairs judge and gold by step with their gap, flagging judge up while gold goes down', () => {
    const s = hackingSeries(pts(0.5, 0.6, 0.8, 0.7), pts(0.5, 0.5, 0.25, 0.5));
    expect(s.map((p) => p.gap)).toEqual([0, 0.09999999999999998, 0.55, 0.19999999999999996]);
    expect(s.map((p) => p.flagged)).toEqual([false, false, true, false]);
  });

  it('skips steps missing from either series and is empty without a judge', () => {
    expect(hackingSeries(pts(1, 2, 3), [{ step: 2, value: 0.5 }]).map((p) => p.step)).toEqual([2]);
    expect(hackingSeries(undefined, pts(1))).toEqual([]);
  });
});
