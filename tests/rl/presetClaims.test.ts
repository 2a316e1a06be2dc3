/** Claims as checks over curves: start/end windows, rises/falls/ahead, and the errors that name what is missing. */
import { describe, expect, it } from 'vitest';
import { curveEnds, evaluateCheck, type Curve, type Curves } from '../../src/rl/presets/claims';

const curve = (values: number[], first = 1): Curve => values.map((value, i) => ({ iteration: first + i, value }));

describe('preset claims', () => {
  it('averages a window at each end of a curve', () => {
    expect(curveEnds(curve([1, 2, 3, 4, 5, 6, 7, 8]), 2)).toEqual({ start: 1.5, end: 7.5 });
    expect(curveEnds(curve([4]), 1)).toEqual({ start: 4, end: 4 });
    expect(curveEnds(curve([1, 2, 3, 4, 5, 6, 7, 8]), 4, 1)).toEqual({ start: 1, end: 6.5 });
  });

  it('reads evaluation curves point to point and training curves over a quarter of the run', () => {
    const runs: Record<string, Curves> = {
      main: {
        'pass@1': curve([0.2, 0.9, 0.1, 0.4], 0),
        frac_reward_zero_std: curve([0, 0.2, 0.4, 0.6, 0.6, 0.8, 1, 1]),
      },
    };
    const pass = evaluateCheck({ kind: 'rises', metric: 'pass@1', by: 0.15 }, runs);
    expect(pass).toMatchObject({ a: 0.2, b: 0.4, pass: true });
    expect(pass.delta).toBeCloseTo(0.2);
    const zero = evaluateCheck({ kind: 'rises', metric: 'frac_reward_zero_std', by: 0.8 }, runs);
    expect(zero.a).toBeCloseTo(0.1);
    expect(zero.b).toBeCloseTo(1);
    expect(zero.pass).toBe(true);
    expect(evaluateCheck({ kind: 'rises', metric: 'frac_reward_zero_std', by: 0.95 }, runs).pass).toBe(false);
  });

  it('can read the start from the first iteration alone, before any update moved the policy', () => {
    const runs = { main: { frac_reward_zero_std: curve([0.25, 1, 1, 1, 0.75, 1, 0.75, 0.75]) } };
    const check = { kind: 'rises', metric: 'frac_reward_zero_std', by: 0.5 } as const;
    expect(evaluateCheck(check, runs).pass).toBe(false);
    expect(evaluateCheck({ ...check, startWindow: 1 }, runs)).toMatchObject({ a: 0.25, b: 0.75, pass: true });
  });

  it('falls is the mirror of rises, and a negative margin allows a bounded change the wrong way', () => {
    const runs = { main: { grad_norm: curve([4, 4, 3, 3, 2, 2, 1, 1]), accuracy: curve([0.5, 0.52], 0) } };
    expect(evaluateCheck({ kind: 'falls', metric: 'grad_norm', by: 2.5 }, runs)).toMatchObject({ a: 4, b: 1, delta: 3, pass: true });
    expect(evaluateCheck({ kind: 'falls', metric: 'accuracy', by: 0 }, runs).pass).toBe(false);
    expect(evaluateCheck({ kind: 'falls', metric: 'accuracy', by: -0.05 }, runs).pass).toBe(true);
  });

  it('compares the end values of two variants', () => {
    const runs = { main: { accuracy: curve([0.3, 0.6], 0) }, plain: { accuracy: curve([0.3, 0.5], 0) } };
    const ahead = evaluateCheck({ kind: 'ahead', metric: 'accuracy', variant: 'main', over: 'plain', by: 0.05 }, runs);
    expect(ahead).toMatchObject({ a: 0.6, b: 0.5, pass: true });
    expect(evaluateCheck({ kind: 'ahead', metric: 'accuracy', variant: 'plain', over: 'main', by: 0 }, runs).pass).toBe(false);
    expect(ahead.text).toBe('accuracy: main ahead of plain by ≥ 0.05 at the end');
    // A window compares whole stretches of noisy curves rather than their last points.
    const noisy = { main: { d: curve([0.4, 0.6, 0.4]) }, other: { d: curve([0.5, 0.5, 0.5]) } };
    const whole = evaluateCheck({ kind: 'ahead', metric: 'd', variant: 'other', over: 'main', by: 0, window: 3 }, noisy);
    expect(whole).toMatchObject({ pass: true, text: 'd: other ahead of main by ≥ 0 over the last 3 points' });
    expect(whole.b).toBeCloseTo(0.4667, 3);
    // The middle point alone would say the opposite.
    expect(evaluateCheck({ kind: 'ahead', metric: 'd', variant: 'main', over: 'other', by: 0.05, window: 3 }, noisy).pass).toBe(false);
  });

  it('names the missing variant or metric', () => {
    const runs = { main: { accuracy: curve([0.3], 0) } };
    expect(() => evaluateCheck({ kind: 'ahead', metric: 'accuracy', variant: 'main', over: 'ttrl', by: 0 }, runs)).toThrow(/no run of variant "ttrl"/);
    expect(() => evaluateCheck({ kind: 'rises', metric: 'pass@1', by: 0 }, runs)).toThrow(/logged no "pass@1"/);
  });
  it('compares two metrics of one run at the end (exceeds), naming a metric the run did not log', () => {
    const runs: Record<string, Curves> = { main: { with: curve([0.2, 0.5], 0), without: curve([0.3, 0.4], 0) } };
    const check = evaluateCheck({ kind: 'exceeds', metric: 'with', than: 'without', by: 0.05, window: 1 }, runs);
    expect(check).toMatchObject({ a: 0.5, b: 0.4, pass: true, text: 'with above without by ≥ 0.05 over the last 1 points' });
    expect(check.delta).toBeCloseTo(0.1);
    expect(evaluateCheck({ kind: 'exceeds', metric: 'with', than: 'without', by: 0.2, window: 1 }, runs).pass).toBe(false);
    expect(() => evaluateCheck({ kind: 'exceeds', metric: 'with', than: 'nope', by: 0 }, runs)).toThrow(/logged no "nope"/);
  });
});
