import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { Rng } from '../../src/engine/rng';
import { assertClose } from '../harness/compare';
import { gradcheck } from '../harness/gradcheck';
import { randint, randn } from '../harness/random';

const be = createCpuBackend();
const tol = { atol: 1e-6, rtol: 1e-5 };

describe('rope oracle', () => {
  it('rotates pair i by pos·theta^(−2i/D)', async () => {
    // B=1, T=2, H=1, D=4, theta=100: pair 0 turns by pos rad, pair 1 by pos·100^(−1/2) = pos/10 rad.
    const x = be.fromArray([1, 0, 0, 1, 1, 0, 0, 1], [1, 2, 1, 4]);
    const positions = be.fromArray([0, 10], [1, 2], 'i32');
    const out = be.zeros([1, 2, 1, 4]);
    be.rope(x, positions, out, 100, false, false);
    assertClose('rope', await be.read(out), [1, 0, 0, 1, Math.cos(10), Math.sin(10), -Math.sin(1), Math.cos(1)], tol);
    be.rope(x, positions, out, 100, true, false);
    assertClose('inverse', await be.read(out), [1, 0, 0, 1, Math.cos(10), -Math.sin(10), Math.sin(1), Math.cos(1)], tol);
  });

  it('inverse undoes the forward, and accumulate adds into out', async () => {
    const rng = new Rng(2);
    const shape = [2, 3, 2, 6];
    const x = be.fromArray(randn(rng, 72), shape);
    const positions = be.fromArray(randint(rng, 6, 50), [2, 3], 'i32');
    const rotated = be.zeros(shape), back = be.fromArray(new Float32Array(72).fill(1), shape);
    be.rope(x, positions, rotated, 10000, false, false);
    be.rope(rotated, positions, back, 10000, true, true);
    assertClose('1 + inverse(rope(x))', await be.read(back), Array.from(await be.read(x), (v) => 1 + v), { atol: 1e-5, rtol: 1e-5 });
  });

  for (const inverse of [false, true]) {
    it(`${inverse ? 'inverse' : 'forward'} backward is the opposite rotation (finite differences)`, () => {
      const rng = new Rng(inverse ? 4 : 3);
      const shape = [2, 3, 2, 4];
      const x = be.fromArray(randn(rng, 48), shape);
      const positions = be.fromArray(randint(rng, 6, 20), [2, 3], 'i32');
      const out = be.zeros(shape);
      gradcheck({
        be,
        wrt: { x },
        forward: () => (be.rope(x, positions, out, 10000, inverse, false), out),
        backward: ([dout]) => {
          const dx = be.zeros(shape);
          be.rope(dout, positions, dx, 10000, !inverse, true);
          return { x: dx };
        },
      });
    });
  }

  it('names the kernel and shapes on bad input', () => {
    const x = be.zeros([1, 2, 1, 4]), out = be.zeros([1, 2, 1, 4]), pos = be.zeros([1, 2], 'i32');
    expect(() => be.rope(be.zeros([1, 2, 1, 3]), pos, be.zeros([1, 2, 1, 3]), 1e4, false, false)).toThrow(/rope: head dim D .* must be even/);
    expect(() => be.rope(x, be.zeros([2, 1], 'i32'), out, 1e4, false, false)).toThrow(/rope: positions has shape \[2,1\], expected \[1,2\]/);
    expect(() => be.rope(x, be.zeros([1, 2]), out, 1e4, false, false)).toThrow(/rope: positions has dtype f32, expected i32/);
    expect(() => be.rope(x, pos, be.zeros([1, 2, 2, 2]), 1e4, false, false)).toThrow(/rope: shape mismatch/);
    expect(() => be.rope(x, pos, x, 1e4, false, false)).toThrow(/rope: x and out must be different/);
    expect(() => be.rope(x, pos, out, 0, false, false)).toThrow(/rope: theta must be positive/);
  });
});
