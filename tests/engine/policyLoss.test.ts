import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import type { PolicyLossOptions } from '../../src/engine/kernels';
import { Rng } from '../../src/engine/rng';
import { gradcheck } from '../harness/gradcheck';
import { randn } from '../harness/random';

const be = createCpuBackend();

function run(logp: number[], old: number[], ref: number[], adv: number[], w: number[], opts: PolicyLossOptions) {
  const n = logp.length;
  const t = (xs: number[]) => be.fromArray(xs, [n]);
  const inputs = { logp: t(logp), oldLogp: t(old), refLogp: t(ref), advantages: t(adv), weights: t(w) };
  const outputs = { stats: be.zeros([3, n]), dlogp: be.zeros([n]) };
  be.policyLoss(inputs, outputs, opts);
  return { inputs, outputs };
}

describe('policy loss oracle', () => {
  const eps = { epsLow: 0.2, epsHigh: 0.2, beta: 0 };

  it('computes hand cases: inside the trust region, clipped above, clipped below, and the unclipped min', async () => {
    const l = Math.log;
    // ratios 1.1 (A=1), 1.5 (A=1), 0.5 (A=-1), 0.5 (A=1); weights 1, 1, 1, 0.5
    const { outputs } = run([l(1.1), l(1.5), l(0.5), l(0.5)], [0, 0, 0, 0], [l(1.1), l(1.5), l(0.5), l(0.5)], [1, 1, -1, 1], [1, 1, 1, 0.5], eps);
    const stats = Array.from(await be.read(outputs.stats));
    const [loss, kl, clipped] = [stats.slice(0, 4), stats.slice(4, 8), stats.slice(8)];
    [-1.1, -1.2, 0.8, -0.25].forEach((v, i) => expect(loss[i]).toBeCloseTo(v, 5));
    kl.forEach((v) => expect(v).toBeCloseTo(0, 6));
    expect(clipped).toEqual([0, 1, -1, 0]);
    const dlogp = Array.from(await be.read(outputs.dlogp));
    [-1.1, 0, 0, -0.25].forEach((v, i) => expect(dlogp[i]).toBeCloseTo(v, 5));
  });

  it('uses the k3 KL estimator and its gradient', async () => {
    const { outputs } = run([-1], [-1], [-1.5], [0], [2], { ...eps, beta: 0.1 });
    const stats = await be.read(outputs.stats);
    const d = -0.5;
    expect(stats[1]).toBeCloseTo(Math.exp(d) - d - 1, 6);
    expect(stats[0]).toBeCloseTo(2 * 0.1 * (Math.exp(d) - d - 1), 6);
    expect((await be.read(outputs.dlogp))[0]).toBeCloseTo(2 * 0.1 * (1 - Math.exp(d)), 6);
  });

  it('gradient matches finite differences (asymmetric clipping, KL on)', () => {
    const rng = new Rng(8);
    const n = 40;
    const logpData = randn(rng, n, 0.3);
    const { inputs, outputs } = run(
      Array.from(logpData),
      Array.from(randn(rng, n, 0.3)),
      Array.from(randn(rng, n, 0.3)),
      Array.from(randn(rng, n)),
      Array.from({ length: n }, () => rng.uniform()),
      { epsLow: 0.2, epsHigh: 0.28, beta: 0.05 },
    );
    const loss = be.zeros([n]);
    gradcheck({
      be,
      wrt: { logp: inputs.logp },
      eps: 1e-3,
      forward: () => {
        be.policyLoss(inputs, outputs, { epsLow: 0.2, epsHigh: 0.28, beta: 0.05 });
        // The probed output is row 0 of stats (the per-token loss); the oracle's memory is a plain array.
        const s = (outputs.stats.storage as { data: Float32Array }).data;
        (loss.storage as { data: Float32Array }).data.set(s.subarray(0, n));
        return loss;
      },
      backward: ([dout]) => {
        // dlogp is the gradient of Σ loss; scale it row-wise by dout for the probed weighted sum.
        const g = be.zeros([n]);
        be.mul(outputs.dlogp, dout, g);
        return { logp: g };
      },
    });
  });

  it('rejects mismatched lengths and negative epsilons', () => {
    const { inputs, outputs } = run([0, 0], [0, 0], [0, 0], [0, 0], [1, 1], eps);
    expect(() => be.policyLoss({ ...inputs, oldLogp: be.zeros([1]) }, outputs, eps)).toThrow(/policyLoss: oldLogp has shape \[1\], expected \[2\]/);
    expect(() => be.policyLoss(inputs, { ...outputs, stats: be.zeros([2, 2]) }, eps)).toThrow(/stats has shape \[2,2\], expected \[3,2\]/);
    expect(() => run([0], [0], [0], [0], [1], { ...eps, epsLow: -1 })).toThrow(/epsLow must be a non-negative number/);
  });
});
