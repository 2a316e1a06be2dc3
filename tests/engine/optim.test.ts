import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import type { AdamWOptions } from '../../src/engine/kernels';
import { AdamW } from '../../src/engine/optim';

const be = createCpuBackend();
const read = async (t: Parameters<typeof be.read>[0]) => Array.from(await be.read(t));
const f32 = (x: number) => Math.fround(x);

// Two AdamW steps on p = [1, 2] with lr 0.1, β 0.9/0.999, eps 1e-8, wd 0.1, gradients [0.5, −1] then [−0.25, 0.5].
// Step 1 (bias corrections 0.1 and 0.001): m = [0.05, −0.1], v = [2.5e-4, 1e-3], m̂ = [0.5, −1], v̂ = [0.25, 1],
//   p0 = 1 − 0.1·(0.5/(0.5+1e-8) + 0.1·1) = 0.89,  p1 = 2 − 0.1·(−1/(1+1e-8) + 0.1·2) = 2.08.
//   Without bias correction m/√v would be 3.16 instead of 1: the first step moves each weight by ≈ lr.
// Step 2 (corrections 0.19 and 0.001999): m = [0.02, −0.04], v = [3.1225e-4, 1.249e-3],
//   p0 = 0.89 − 0.1·(0.105263/0.395225 + 0.089) = 0.854466,  p1 = 2.08 − 0.1·(−0.210526/0.790451 + 0.208) = 2.085834.
const GRADS = [[0.5, -1], [-0.25, 0.5]];
const AFTER = [
  { p: [0.89, 2.08], m: [0.05, -0.1], v: [2.5e-4, 1e-3] },
  { p: [0.854466, 2.085834], m: [0.02, -0.04], v: [3.1225e-4, 1.249e-3] },
];

function expectValues(got: number[], want: number[], digits = 6) {
  expect(got).toHaveLength(want.length);
  want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, digits));
}

describe('optim oracle kernels', () => {
  it('sumSquares accumulates Σx² into acc[0]', async () => {
    const acc = be.fromArray([0.5], [1]);
    be.sumSquares(be.fromArray([1, -2, 3], [3]), acc);
    be.sumSquares(be.fromArray([0.5, 0.5, 0.5, 0.5], [2, 2]), acc);
    expect(await read(acc)).toEqual([15.5]);
  });

  it('clipFactor reports the exact norm and clips only above maxNorm', async () => {
    const stats = be.zeros([2]);
    be.clipFactor(be.fromArray([25], [1]), stats, 10);
    expect(await read(stats)).toEqual([5, 1]);
    be.clipFactor(be.fromArray([25], [1]), stats, 2);
    expect(await read(stats)).toEqual([5, f32(2 / (5 + 1e-6))]);
    be.clipFactor(be.fromArray([2 ** 100], [1]), stats, Infinity);
    expect(await read(stats)).toEqual([2 ** 50, 1]);
  });

  it('adamw matches two hand-computed steps with bias correction and decoupled decay', async () => {
    const param = be.fromArray([1, 2], [2]), grad = be.zeros([2]), m = be.zeros([2]), v = be.zeros([2]);
    const noClip = be.fromArray([0, 1], [2]);
    for (let t = 0; t < 2; t++) {
      be.write(grad, GRADS[t]);
      be.adamw(param, grad, m, v, noClip, { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, step: t + 1 });
      expectValues(await read(param), AFTER[t].p);
      expectValues(await read(m), AFTER[t].m, 7);
      expectValues(await read(v), AFTER[t].v, 9);
    }
  });

  it('adamw scales the gradient by clipStats[1] before both moments', async () => {
    const param = be.fromArray([1], [1]), m = be.zeros([1]), v = be.zeros([1]);
    be.adamw(param, be.fromArray([4], [1]), m, v, be.fromArray([8, 0.25], [2]), { lr: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, step: 1 });
    expect(await read(m)).toEqual([f32(0.1)]);
    expect(await read(v)).toEqual([f32(0.001)]);
    expect(await read(param)).toEqual([1]);
  });

  it('rejects bad shapes, aliasing and options, naming the kernel', () => {
    const t = () => be.zeros([3]);
    const ok: AdamWOptions = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, step: 1 };
    expect(() => be.sumSquares(t(), be.zeros([2]))).toThrow(/sumSquares: acc has shape \[2\], expected \[1\]/);
    expect(() => be.clipFactor(be.zeros([1]), be.zeros([3]), 1)).toThrow(/clipFactor: stats has shape \[3\]/);
    expect(() => be.clipFactor(be.zeros([1]), be.zeros([2]), 0)).toThrow(/clipFactor: maxNorm/);
    expect(() => be.adamw(t(), t(), be.zeros([3, 1]), t(), be.zeros([2]), ok)).toThrow(/adamw: shape mismatch .*\[3\] vs .*\[3,1\]/);
    expect(() => be.adamw(t(), t(), t(), t(), be.zeros([1]), ok)).toThrow(/adamw: clipStats has shape \[1\]/);
    const shared = t();
    expect(() => be.adamw(t(), t(), shared, shared, be.zeros([2]), ok)).toThrow(/adamw: .*distinct/);
    expect(() => be.adamw(t(), t(), t(), t(), be.zeros([2]), { ...ok, step: 0 })).toThrow(/adamw: step/);
    expect(() => be.adamw(t(), t(), t(), t(), be.zeros([2]), { ...ok, beta2: 1 })).toThrow(/adamw: beta2/);
  });
});

describe('AdamW optimizer (cpu)', () => {
  const scalarParam = (name: string, value: number, decay = true) => ({ name, param: be.fromArray([value], [1]), grad: be.zeros([1]), decay });

  it('takes the hand-computed steps, counting steps for bias correction', async () => {
    const p = { name: 'w', param: be.fromArray([1, 2], [2]), grad: be.zeros([2]), decay: true };
    const opt = new AdamW(be, [p], { weightDecay: 0.1 });
    for (let t = 0; t < 2; t++) {
      be.write(p.grad, GRADS[t]);
      opt.step({ lr: 0.1 });
      expect(opt.stepCount).toBe(t + 1);
      expectValues(await read(p.param), AFTER[t].p);
      expectValues(await read(opt.moments('w').v), AFTER[t].v, 9);
    }
  });

  it('computes the exact global norm and clips only above maxGradNorm', async () => {
    for (const [maxGradNorm, factor] of [[undefined, 1], [5.5, 1], [2, f32(2 / (5 + 1e-6))]] as const) {
      const a = scalarParam('a', 0), b = scalarParam('b', 0);
      be.write(a.grad, [3]);
      be.write(b.grad, [-4]);
      const opt = new AdamW(be, [a, b]);
      opt.step({ lr: 0.01, maxGradNorm });
      expect(await read(opt.stats)).toEqual([5, factor]);
      // m = (1 − β1)·factor·g: the clip factor reached the update.
      expect(await read(opt.moments('b').m)).toEqual([f32(0.1 * -4 * factor)]);
    }
  });

  it('applies weight decay only to parameters marked decay', async () => {
    const decayed = scalarParam('w', 2, true), kept = scalarParam('gain', 2, false);
    const opt = new AdamW(be, [decayed, kept], { weightDecay: 0.5 });
    opt.step({ lr: 0.1 });
    expect(await read(decayed.param)).toEqual([f32(2 - 0.1 * 0.5 * 2)]);
    expect(await read(kept.param)).toEqual([2]);
  });

  it('uses the documented defaults and rejects duplicate names', () => {
    expect(new AdamW(be, []).config).toEqual({ beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 });
    expect(() => new AdamW(be, [scalarParam('x', 0), scalarParam('x', 1)])).toThrow(/duplicate parameter name x/);
    expect(() => new AdamW(be, []).moments('nope')).toThrow(/no parameter named nope/);
  });
});
