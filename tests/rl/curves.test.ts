import { describe, expect, it } from 'vitest';
import { CURVES, curvesFor } from '../../src/rl/curves';
import { ALGORITHMS } from '../../src/rl/runConfig';

describe('curves per algorithm', () => {
  it('gives GRPO its clipping, zero-std and KL charts', () => {
    const titles = curvesFor('grpo').map((c) => c.title);
    expect(titles).toEqual(expect.arrayContaining(['reward', 'clip ratio', 'frac_reward_zero_std', 'kl', 'held-out accuracy']));
  });

  it('names only algorithms that exist, and every algorithm gets the shared charts', () => {
    for (const c of CURVES) for (const a of c.algorithms ?? []) expect(ALGORITHMS).toContain(a);
    for (const a of ALGORITHMS) expect(curvesFor(a).map((c) => c.title)).toEqual(expect.arrayContaining(['reward', 'held-out accuracy', 'loss']));
  });
});
