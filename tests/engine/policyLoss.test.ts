import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import type { PolicyLossOptions } from '../../src/engine/kernels';
import { Rng } from '../../src/engine/rng';
import { gradcheck } from '../harness/gradcheck';
import { randn } from '../harness/random';

const be = createCpuBackend();

/** `rows`: the sequence-level mean weights [B, T] (B·T = n), or none for the token-level ratio. */
function run(logp: number[], old: number[], ref: number[], adv: number[], w: number[], opts: PolicyLossOptions, rows?: number[][]) {
  const n = logp.length;
  const t = (xs: number[]) => be.fromArray(xs, [n]);
  const sequenceMean = rows ? { sequenceMean: be.fromArray(rows.flat(), [rows.length, rows[0].length]) } : {};
  const inputs = { logp: t(logp), oldLogp: t(old), refLogp: t(ref), advantages: t(adv), weights: t(w), ...sequenceMean };
  const outputs = { stats: be.zeros([3, n]), dlogp: be.zeros([n]) };
  be.policyLoss(inputs, outputs, opts);
  return { inputs, outputs };
}

describe('policy loss oracle', () => {
  const eps = { epsLow: 0.2, epsHigh: 0.2, beta: 0, delta: null };

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

  it('caps the ratio at δ for negative advantages only (two-sided clipping), with no gradient where the cap binds', async () => {
    const l = Math.log;
    // ratio 2 with A = −1 and A = +1, δ = 1.5: the first is capped (loss 1.5 instead of 2), the second clipped at 1.2 either way.
    const two = { ...eps, delta: 1.5 };
    const capped = run([l(2), l(2)], [0, 0], [0, 0], [-1, 1], [1, 1], two).outputs;
    const plain = run([l(2), l(2)], [0, 0], [0, 0], [-1, 1], [1, 1], eps).outputs;
    const [sc, sp] = [Array.from(await be.read(capped.stats)), Array.from(await be.read(plain.stats))];
    [1.5, -1.2].forEach((v, i) => expect(sc[i]).toBeCloseTo(v, 5));
    [2, -1.2].forEach((v, i) => expect(sp[i]).toBeCloseTo(v, 5));
    expect(Array.from(await be.read(capped.dlogp))).toEqual([0, 0]);
    const dPlain = Array.from(await be.read(plain.dlogp));
    [2, 0].forEach((v, i) => expect(dPlain[i]).toBeCloseTo(v, 5));
  });

  it('sequence level: every token of a row shares exp(mean log-ratio) and one clip decision; the gradient spreads over the mean', async () => {
    // Row 0: log-ratios 0.3 and −0.1 on its two counted tokens (the third is a prompt row): r = e^0.1, inside the
    // trust region. Row 1: three tokens at 0.5: r = e^0.5 > 1.2, clipped above for all of them.
    const rows = [[0.5, 0.5, 0], [1 / 3, 1 / 3, 1 / 3]];
    const w = [1, 0.5, 0, 1, 1, 1];
    const { outputs } = run([0.3, -0.1, 0.7, 0.5, 0.5, 0.5], [0, 0, 0, 0, 0, 0], [0.3, -0.1, 0.7, 0.5, 0.5, 0.5], [1, 1, 0, 1, 1, 1], w, eps, rows);
    const stats = Array.from(await be.read(outputs.stats));
    const r = Math.exp(0.1);
    [-r, -0.5 * r, 0, -1.2, -1.2, -1.2].forEach((v, i) => expect(stats[i]).toBeCloseTo(v, 5));
    expect(stats.slice(12)).toEqual([0, 0, 0, 1, 1, 1]);
    const dlogp = Array.from(await be.read(outputs.dlogp));
    // ∂/∂logp_t of Σ_row w·(−r·A) = m_t·(Σ w)·(−r·A) = 0.5 · 1.5 · (−r).
    [-0.75 * r, -0.75 * r, 0, 0, 0, 0].forEach((v, i) => expect(dlogp[i]).toBeCloseTo(v, 5));
  });

  for (const level of ['token', 'sequence'] as const) {
    it(`gradient matches finite differences (${level} level, asymmetric clipping, δ, KL on)`, () => {
      const rng = new Rng(8);
      const [B, T] = [8, 5];
      const n = B * T;
      // Sequence rows count a random prefix of 1..T tokens, as a batch's completion rows do.
      const counted = Array.from({ length: B }, () => 1 + Math.floor(rng.uniform() * T));
      const rows = counted.map((c) => Array.from({ length: T }, (_, t) => (t < c ? 1 / c : 0)));
      const opts = { epsLow: 0.2, epsHigh: 0.28, beta: 0.05, delta: 1.4 };
      const { inputs, outputs } = run(
        Array.from(randn(rng, n, 0.5)),
        Array.from(randn(rng, n, 0.5)),
        Array.from(randn(rng, n, 0.3)),
        Array.from(randn(rng, n)),
        Array.from({ length: n }, () => rng.uniform()),
        opts,
        level === 'sequence' ? rows : undefined,
      );
      const loss = be.zeros([n]);
      gradcheck({
        be,
        wrt: { logp: inputs.logp },
        eps: 1e-3,
        forward: () => {
          be.policyLoss(inputs, outputs, opts);
          // The probed output is Σ of row 0 of stats (the loss): dlogp is the gradient of that sum, which at
          // sequence level mixes the tokens of a row, so the probe is the plain sum (dout's weight of one token).
          const s = (outputs.stats.storage as { data: Float32Array }).data;
          (loss.storage as { data: Float32Array }).data.fill(s.subarray(0, n).reduce((a, v) => a + v, 0) / n);
          return loss;
        },
        backward: ([dout]) => {
          const g = be.zeros([n]);
          const total = (dout.storage as { data: Float32Array }).data.reduce((a, v) => a + v, 0) / n;
          be.axpy(outputs.dlogp, total, g);
          return { logp: g };
        },
      });
      // The case probes both kinks: somewhere the clip range binds and somewhere the δ cap does.
      const data = (x: { storage: unknown }) => (x.storage as { data: Float32Array }).data;
      const [lp, old, adv] = [data(inputs.logp), data(inputs.oldLogp), data(inputs.advantages)];
      const ratio = (i: number) => {
        if (level === 'token') return Math.exp(lp[i] - old[i]);
        const row = Math.floor(i / T);
        return Math.exp(rows[row].reduce((a, m, t) => a + m * (lp[row * T + t] - old[row * T + t]), 0));
      };
      const ratios = Array.from({ length: n }, (_, i) => ratio(i));
      expect(ratios.some((r, i) => (r > 1.28 && adv[i] > 0) || (r < 0.8 && adv[i] < 0))).toBe(true);
      expect(ratios.some((r, i) => r > opts.delta && adv[i] < 0)).toBe(true);
    });
  }

  it('rejects mismatched lengths and negative epsilons', () => {
    const { inputs, outputs } = run([0, 0], [0, 0], [0, 0], [0, 0], [1, 1], eps);
    expect(() => be.policyLoss({ ...inputs, oldLogp: be.zeros([1]) }, outputs, eps)).toThrow(/policyLoss: oldLogp has shape \[1\], expected \[2\]/);
    expect(() => be.policyLoss(inputs, { ...outputs, stats: be.zeros([2, 2]) }, eps)).toThrow(/stats has shape \[2,2\], expected \[3,2\]/);
    expect(() => run([0], [0], [0], [0], [1], { ...eps, epsLow: -1 })).toThrow(/epsLow must be a non-negative number/);
    expect(() => run([0], [0], [0], [0], [1], { ...eps, delta: 1.1 })).toThrow(/delta must be null or a number above 1 \+ epsHigh = 1.2, got 1.1/);
    expect(() => be.policyLoss({ ...inputs, sequenceMean: be.zeros([3, 1]) }, outputs, eps)).toThrow(/sequenceMean has shape \[3,1\], expected \[B, T\] with B·T = 2/);
  });
});
