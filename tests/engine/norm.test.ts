import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { Rng } from '../../src/engine/rng';
import { assertClose } from '../harness/compare';
import { cpuSideBackends } from '../harness/cpuSideBackends';
import { gradcheck } from '../harness/gradcheck';
import { randn } from '../harness/random';

const be = createCpuBackend();

describe('rmsnorm oracle', () => {
  it('normalises rows by their root mean square, then scales by w', async () => {
    // Row 0 has mean square 1, row 1 mean square 4, row 2 is zero so only eps counts: rstd = 1/sqrt(0.25) = 2.
    const x = be.fromArray([1, -1, 1, -1, 2, 2, -2, 2, 0, 0, 0, 0], [3, 4]);
    const w = be.fromArray([1, 2, 3, 4], [4]);
    const out = be.zeros([3, 4]), rstd = be.zeros([3]);
    be.rmsnorm(x, w, out, rstd, 0.25);
    assertClose('rstd', await be.read(rstd), [1 / Math.sqrt(1.25), 1 / Math.sqrt(4.25), 2], { atol: 1e-7, rtol: 1e-6 });
    be.rmsnorm(x, w, out, rstd, 0);
    expect(Array.from(await be.read(out)).slice(0, 8)).toEqual([1, -2, 3, -4, 1, 2, -3, 4]);
  });

  it('backward accumulates into dx and dw', async () => {
    const rng = new Rng(6);
    const x = be.fromArray(randn(rng, 8), [2, 4]), w = be.fromArray(randn(rng, 4), [4]), dout = be.fromArray(randn(rng, 8), [2, 4]);
    const out = be.zeros([2, 4]), rstd = be.zeros([2]);
    be.rmsnorm(x, w, out, rstd, 1e-5);
    const dx1 = be.zeros([2, 4]), dw1 = be.zeros([4]), dx2 = be.zeros([2, 4]), dw2 = be.zeros([4]);
    be.rmsnormBackward(dout, x, w, rstd, dx1, dw1);
    be.rmsnormBackward(dout, x, w, rstd, dx2, dw2);
    be.rmsnormBackward(dout, x, w, rstd, dx2, dw2);
    const tol = { atol: 1e-6, rtol: 1e-6 };
    assertClose('dx', await be.read(dx2), Array.from(await be.read(dx1), (v) => 2 * v), tol);
    assertClose('dw', await be.read(dw2), Array.from(await be.read(dw1), (v) => 2 * v), tol);
  });

  it('names the kernel and shapes on bad input', () => {
    const x = be.zeros([2, 4]), out = be.zeros([2, 4]), rstd = be.zeros([2]);
    expect(() => be.rmsnorm(x, be.zeros([3]), out, rstd, 1e-5)).toThrow(/rmsnorm: w has shape \[3\], expected \[4\]/);
    expect(() => be.rmsnorm(x, be.zeros([4]), out, be.zeros([4]), 1e-5)).toThrow(/rmsnorm: rstd has shape \[4\], expected \[2\]/);
    expect(() => be.rmsnorm(be.zeros([2, 2, 4]), be.zeros([4]), out, rstd, 1e-5)).toThrow(/rmsnorm: x has shape \[2,2,4\]/);
    expect(() => be.rmsnormBackward(be.zeros([2, 4]), x, be.zeros([4]), rstd, be.zeros([4, 2]), be.zeros([4]))).toThrow(
      /rmsnormBackward: shape mismatch .*\[2,4\] vs .*\[4,2\]/,
    );
  });
});

// Widths 7 and 10 leave a tail after the wasm kernel's 4-wide vector lanes.
describe.each(await cpuSideBackends())('rmsnorm backward on $name (finite differences)', ({ be }) => {
  it.each([7, 10])('matches finite differences for x and w at width %i', (C) => {
    const rng = new Rng(5);
    const N = 3;
    const x = be.fromArray(randn(rng, N * C), [N, C]);
    const w = be.fromArray(randn(rng, C), [C]);
    const out = be.zeros([N, C]), rstd = be.zeros([N]);
    gradcheck({
      be,
      wrt: { x, w },
      forward: () => (be.rmsnorm(x, w, out, rstd, 1e-5), out),
      backward: ([dout]) => {
        const dx = be.zeros([N, C]), dw = be.zeros([C]);
        be.rmsnormBackward(dout, x, w, rstd, dx, dw);
        return { x: dx, w: dw };
      },
    });
  });
});
