import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import type { StochasticActivation } from '../../src/engine/kernels';
import { Rng } from '../../src/engine/rng';
import { gradcheck } from '../harness/gradcheck';
import { randn } from '../harness/random';

const be = createCpuBackend();
const silu = (v: number) => v / (1 + Math.exp(-v));

/** x [B·T, F] with one seed per sequence and positions 0..T-1. */
function setup(B: number, T: number, F: number, data: Float32Array, seed0 = 11) {
  const x = be.fromArray(data, [B * T, F]);
  const seeds = be.fromArray(Array.from({ length: B }, (_, b) => seed0 + b), [B], 'i32');
  const positions = be.fromArray(Array.from({ length: B * T }, (_, n) => n % T), [B * T], 'i32');
  return { x, seeds, positions, out: be.zeros([B * T, F]) };
}

describe('stochastic activation oracle', () => {
  const data = randn(new Rng(1), 2 * 3 * 8);

  it('p=0 is RELU and p=1 (all) is SILU; p=1 negOnly is SILU below 0 and identity above', async () => {
    const { x, seeds, positions, out } = setup(2, 3, 8, data);
    be.stochActivation(x, out, seeds, positions, { p: 0, region: 'all', stream: 0, granularity: 'element' });
    expect(Array.from(await be.read(out))).toEqual(Array.from(data, (v) => Math.max(v, 0)));
    be.stochActivation(x, out, seeds, positions, { p: 1, region: 'all', stream: 0, granularity: 'element' });
    Array.from(await be.read(out)).forEach((v, i) => expect(v).toBeCloseTo(silu(data[i]), 6));
    be.stochActivation(x, out, seeds, positions, { p: 1, region: 'negOnly', stream: 0, granularity: 'element' });
    Array.from(await be.read(out)).forEach((v, i) => expect(v).toBeCloseTo(data[i] < 0 ? silu(data[i]) : data[i], 6));
  });

  it('draws SILU for a fraction p of elements (p = 0.3 within 2%)', async () => {
    const n = 200_000;
    const { x, seeds, positions, out } = setup(4, 50, n / 200, new Float32Array(n).fill(-1));
    be.stochActivation(x, out, seeds, positions, { p: 0.3, region: 'negOnly', stream: 3, granularity: 'element' });
    const frac = (await be.read(out)).filter((v) => v !== 0).length / n;
    expect(Math.abs(frac - 0.3) / 0.3).toBeLessThan(0.02);
  });

  it('replays exactly for the same (seed, layer, position) and differs otherwise', async () => {
    const act: StochasticActivation = { p: 0.5, region: 'all', stream: 1, granularity: 'element' };
    const a = setup(2, 3, 8, data), b = setup(2, 3, 8, data), c = setup(2, 3, 8, data, 99);
    be.stochActivation(a.x, a.out, a.seeds, a.positions, act);
    be.stochActivation(b.x, b.out, b.seeds, b.positions, act);
    be.stochActivation(c.x, c.out, c.seeds, c.positions, act);
    expect(Array.from(await be.read(b.out))).toEqual(Array.from(await be.read(a.out)));
    expect(Array.from(await be.read(c.out))).not.toEqual(Array.from(await be.read(a.out)));
    be.stochActivation(a.x, a.out, a.seeds, a.positions, { ...act, stream: 2, granularity: 'element' });
    expect(Array.from(await be.read(a.out))).not.toEqual(Array.from(await be.read(b.out)));
  });

  it('token granularity shares a draw across units, layer granularity across the whole sequence', async () => {
    const B = 3, T = 5, F = 16;
    for (const granularity of ['token', 'layer'] as const) {
      const { x, seeds, positions, out } = setup(B, T, F, new Float32Array(B * T * F).fill(-1));
      be.stochActivation(x, out, seeds, positions, { p: 0.5, region: 'negOnly', stream: 2, granularity });
      const o = await be.read(out);
      const chosen = (n: number, f: number) => o[n * F + f] !== 0;
      for (let n = 0; n < B * T; n++) for (let f = 1; f < F; f++) expect(chosen(n, f)).toBe(chosen(n, 0));
      if (granularity === 'layer') for (let n = 0; n < B * T; n++) expect(chosen(n, 0)).toBe(chosen(Math.floor(n / T) * T, 0));
      else expect(new Set(Array.from({ length: B * T }, (_, n) => chosen(n, 0))).size).toBe(2);
    }
  });

  it('backward matches finite differences through the drawn branch', () => {
    // Keep |x| away from 0, where RELU has a kink.
    const xs = Float32Array.from(data, (v) => (v < 0 ? v - 0.2 : v + 0.2));
    for (const region of ['all', 'negOnly'] as const) {
      const { x, seeds, positions, out } = setup(2, 3, 8, xs);
      const act: StochasticActivation = { p: 0.5, region, stream: 4, granularity: 'element' };
      gradcheck({
        be,
        wrt: { x },
        forward: () => (be.stochActivation(x, out, seeds, positions, act), out),
        backward: ([dout]) => {
          const dx = be.zeros(x.shape);
          be.stochActivationBackward(x, dout, dx, seeds, positions, act);
          return { x: dx };
        },
      });
    }
  });

  it('rejects misshapen inputs and p outside [0, 1]', () => {
    const { x, seeds, positions, out } = setup(2, 3, 8, data);
    expect(() => be.stochActivation(x, out, seeds, positions, { p: 1.5, region: 'all', stream: 0, granularity: 'element' })).toThrow(/p must be in \[0, 1\]/);
    expect(() => be.stochActivation(x, out, be.zeros([4], 'i32'), positions, { p: 0.5, region: 'all', stream: 0, granularity: 'element' })).toThrow(/do not split into 4 sequences/);
    expect(() => be.stochActivation(x, be.zeros([6, 7]), seeds, positions, { p: 0.5, region: 'all', stream: 0, granularity: 'element' })).toThrow(/stochActivation/);
  });
});
