import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { Rng } from '../../src/engine/rng';
import { gradcheck } from '../harness/gradcheck';
import { randn } from '../harness/random';

describe('elementwise oracle', () => {
  const be = createCpuBackend();

  it('computes add, mul, scale, axpy, fill by hand', async () => {
    const a = be.fromArray([1, -2, 3], [3]);
    const b = be.fromArray([4, 5, -6], [3]);
    const out = be.zeros([3]);
    be.add(a, b, out);
    expect(Array.from(await be.read(out))).toEqual([5, 3, -3]);
    be.mul(a, b, out);
    expect(Array.from(await be.read(out))).toEqual([4, -10, -18]);
    be.scale(a, -0.5, out);
    expect(Array.from(await be.read(out))).toEqual([-0.5, 1, -1.5]);
    be.axpy(a, 2, out);
    expect(Array.from(await be.read(out))).toEqual([1.5, -3, 4.5]);
    be.fill(out, 7);
    expect(Array.from(await be.read(out))).toEqual([7, 7, 7]);
  });

  it('names the op and both shapes on a mismatch', () => {
    expect(() => be.add(be.zeros([2, 3]), be.zeros([3, 2]), be.zeros([2, 3]))).toThrow(/add: shape mismatch .*\[2,3\] vs .*\[3,2\]/);
    expect(() => be.axpy(be.zeros([2]), 1, be.zeros([3]))).toThrow(/axpy/);
  });

  it('mulBackward matches finite differences', () => {
    const rng = new Rng(3);
    const a = be.fromArray(randn(rng, 7), [7]);
    const b = be.fromArray(randn(rng, 7), [7]);
    const out = be.zeros([7]);
    gradcheck({
      be,
      wrt: { a, b },
      forward: () => (be.mul(a, b, out), out),
      backward: ([dout]) => {
        const da = be.zeros([7]), db = be.zeros([7]);
        be.mulBackward(dout, a, b, da, db);
        return { a: da, b: db };
      },
    });
  });

  it('axpy backward (dsrc = alpha·ddst) matches finite differences of scale', () => {
    const rng = new Rng(4);
    const x = be.fromArray(randn(rng, 5), [5]);
    const out = be.zeros([5]);
    gradcheck({
      be,
      wrt: { x },
      forward: () => (be.scale(x, 1.5, out), out),
      backward: ([dout]) => {
        const dx = be.zeros([5]);
        be.axpy(dout, 1.5, dx);
        return { x: dx };
      },
    });
  });
});
