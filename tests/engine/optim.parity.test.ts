import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/engine/backend';
import { AdamW, type OptimParam } from '../../src/engine/optim';
import { Rng } from '../../src/engine/rng';
import { gpuBackend } from '../harness/gpu';
import { expectParity } from '../harness/parity';
import { randn } from '../harness/random';

// Shape classes: tiny, not a multiple of the 256-wide workgroup, larger (sumSquares loops 274× per thread).
const SIZES = [3, 1000, 70_000];
// Moments of clipped gradients are small (v ~ 1e-4), so compare them mostly relatively.
const TOL = { atol: 1e-7, rtol: 1e-4 };

describe('optim kernels: webgpu and wasm vs cpu oracle', () => {
  for (const n of SIZES) {
    it(`sumSquares/clipFactor/adamw n=${n}`, async () => {
      await expectParity(
        `optim n=${n}`,
        (be) => {
          const rng = new Rng(n);
          const param = be.fromArray(randn(rng, n), [n]), grad = be.fromArray(randn(rng, n), [n]);
          const m = be.zeros([n]), v = be.zeros([n]);
          const sumsq = be.fromArray([0.5], [1]), stats = be.zeros([2]), unclipped = be.zeros([2]);
          be.sumSquares(grad, sumsq);
          be.sumSquares(param, sumsq);
          // About half the norm, so the clip factor (≈ 0.5) visibly reaches m and v.
          be.clipFactor(sumsq, stats, Math.sqrt(n) / 2);
          be.clipFactor(sumsq, unclipped, Infinity);
          for (let step = 1; step <= 3; step++) {
            be.adamw(param, grad, m, v, stats, { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, step });
          }
          return { sumsq, stats, unclipped, param, m, v };
        },
        TOL,
      );
    });
  }
});

function makeParams(be: Backend): OptimParam[] {
  const rng = new Rng(7);
  return [
    { name: 'embed', shape: [70, 1000], decay: true },
    { name: 'proj', shape: [40, 25], decay: true },
    { name: 'gain', shape: [3], decay: false },
  ].map(({ name, shape, decay }) => {
    const n = shape[0] * (shape[1] ?? 1);
    return { name, param: be.fromArray(randn(rng, n), shape), grad: be.zeros(shape), decay };
  });
}

describe('AdamW optimizer: webgpu and wasm vs cpu oracle', () => {
  it('four clipped steps with fresh gradients agree on params, moments and stats', async () => {
    await expectParity(
      'AdamW',
      (be) => {
        const params = makeParams(be);
        const opt = new AdamW(be, params, { weightDecay: 0.05 });
        const rng = new Rng(11);
        const out: Record<string, Parameters<Backend['read']>[0]> = {};
        for (let step = 0; step < 4; step++) {
          for (const p of params) be.write(p.grad, randn(rng, p.grad.numel));
          opt.step({ lr: 0.01 * (step + 1), maxGradNorm: 100 });
          const stats = be.zeros([2]);
          be.copy(opt.stats, stats);
          out[`stats${step}`] = stats;
        }
        for (const p of params) Object.assign(out, { [p.name]: p.param, [`${p.name}.m`]: opt.moments(p.name).m, [`${p.name}.v`]: opt.moments(p.name).v });
        return out;
      },
      TOL,
    );
  });

  it('records a whole step, clipping included, without submitting until flush', async () => {
    const be = await gpuBackend();
    const rt = be.runtime;
    const params = makeParams(be);
    for (const [i, p] of params.entries()) be.fill(p.grad, i === 0 ? 0 : 1);
    const opt = new AdamW(be, params);
    be.flush();
    const before = rt.submitCount;
    opt.step({ lr: 1e-3, maxGradNorm: 1 });
    expect(rt.submitCount).toBe(before);
    be.flush();
    expect(rt.submitCount).toBe(before + 1);
    // 1000 + 3 unit gradients: ‖g‖ = sqrt(1003), clipped to 1.
    const [norm, factor] = await be.read(opt.stats);
    expect(norm).toBeCloseTo(Math.sqrt(1003), 4);
    expect(factor).toBeCloseTo(1 / Math.sqrt(1003), 6);
    for (const m of await be.read(opt.moments('gain').m)) expect(m).toBeCloseTo(0.1 * factor, 9);
    opt.dispose();
    for (const p of params) [p.param, p.grad].forEach((t) => be.release(t));
  });
});
