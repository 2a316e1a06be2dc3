import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { assertClose } from '../harness/compare';
import { cpuSideBackends } from '../harness/cpuSideBackends';
import { gradcheck } from '../harness/gradcheck';
import { randn } from '../harness/random';

const backends = await cpuSideBackends();

describe.each(backends)('logSigmoid on $name', ({ be }) => {
  it('matches hand-computed values', async () => {
    const x = be.fromArray([-2, 0, 1, 3], [4]), out = be.zeros([4]), dx = be.zeros([4]);
    be.logSigmoid(x, out);
    be.logSigmoidBackward(x, be.fromArray([1, 1, 1, 1], [4]), dx);
    // log σ(x) = −log(1 + e^−x); σ(−x) = 1/(1 + e^x).
    assertClose('log σ', await be.read(out), [-2.1269280, -0.6931472, -0.3132617, -0.0485874], { atol: 1e-6, rtol: 0 });
    assertClose('σ(−x)', await be.read(dx), [0.8807971, 0.5, 0.2689414, 0.0474259], { atol: 1e-6, rtol: 0 });
  });

  it('stays finite and exact in the tails (x = ±80, ±1e30)', async () => {
    const x = be.fromArray([-1e30, -80, 80, 1e30], [4]), out = be.zeros([4]), dx = be.zeros([4]);
    be.logSigmoid(x, out);
    be.logSigmoidBackward(x, be.fromArray([1, 1, 1, 1], [4]), dx);
    const [y, d] = [await be.read(out), await be.read(dx)];
    expect([...y, ...d].every(Number.isFinite)).toBe(true);
    // log σ(−80) = −80 − log(1 + e^−80) = −80 in f32; log σ(80) = −e^−80 ≈ −1.8e−35 (0 within f32 resolution of 1).
    assertClose('log σ tails', y, [-1e30, -80, 0, 0], { atol: 1e-30, rtol: 1e-7 });
    assertClose('σ(−x) tails', d, [1, 1, 0, 0], { atol: 1e-30, rtol: 1e-7 });
  });

  it('backward matches finite differences', () => {
    const x = be.fromArray(randn(new Rng(11), 30, 3), [5, 6]);
    const out = be.zeros([5, 6]);
    gradcheck({
      be,
      wrt: { x },
      forward: () => (be.logSigmoid(x, out), out),
      backward: ([dout]) => {
        const dx = be.zeros([5, 6]);
        be.logSigmoidBackward(x, dout, dx);
        return { x: dx };
      },
    });
  });

  it('backward accumulates into dx', async () => {
    const dx = be.fromArray([10, 20], [2]);
    be.logSigmoidBackward(be.fromArray([0, 0], [2]), be.fromArray([2, 4], [2]), dx);
    expect(Array.from(await be.read(dx))).toEqual([11, 22]);
  });

  it('names the kernel and shapes on bad input', () => {
    expect(() => be.logSigmoid(be.zeros([2, 3]), be.zeros([3, 2]))).toThrow(/logSigmoid: shape mismatch .*\[2,3\] vs .*\[3,2\]/);
    expect(() => be.logSigmoidBackward(be.zeros([4]), be.zeros([4]), be.zeros([5]))).toThrow(/logSigmoidBackward: shape mismatch/);
  });
});
