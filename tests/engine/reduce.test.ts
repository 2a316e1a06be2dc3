import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { Rng } from '../../src/engine/rng';
import { viewAs, type Tensor } from '../../src/engine/tensor';
import { gradcheck } from '../harness/gradcheck';
import { randn } from '../harness/random';

const be = createCpuBackend();
const read = async (t: Tensor) => Array.from(await be.read(t));

describe('reduce oracle', () => {
  // x [2,3]:  [[1, 5, -2],
  //            [4, 5,  3]]
  const x = be.fromArray([1, 5, -2, 4, 5, 3], [2, 3]);

  it('sums, averages and maxes over either axis by hand', async () => {
    const rows = be.zeros([3]), cols = be.zeros([2]);
    be.sum(x, 0, rows);
    expect(await read(rows)).toEqual([5, 10, 1]);
    be.sum(x, 1, cols);
    expect(await read(cols)).toEqual([4, 12]);
    be.mean(x, 0, rows);
    expect(await read(rows)).toEqual([2.5, 5, 0.5]);
    be.mean(x, 1, cols);
    expect(await read(cols)).toEqual([4 / 3, 4].map(Math.fround));
    const arg = be.zeros([2], 'i32');
    be.max(x, 1, cols, arg);
    expect(await read(cols)).toEqual([5, 5]);
    expect(await read(arg)).toEqual([1, 1]);
    const arg0 = be.zeros([3], 'i32');
    be.max(x, 0, rows, arg0);
    expect(await read(rows)).toEqual([4, 5, 3]);
    // Column 1 ties (5, 5): the first index wins.
    expect(await read(arg0)).toEqual([1, 0, 1]);
  });

  it('reduces a middle axis of a 3-D tensor ([outer, n, inner] view)', async () => {
    // x[o, j, i] = 100·o + 10·j + i with shape [2,3,2]; sum over j.
    const data = [];
    for (let o = 0; o < 2; o++) for (let j = 0; j < 3; j++) for (let i = 0; i < 2; i++) data.push(100 * o + 10 * j + i);
    const out = be.zeros([2, 2]);
    be.sum(be.fromArray(data, [2, 3, 2]), 1, out);
    expect(await read(out)).toEqual([30, 33, 330, 333]);
  });

  it('broadcastBackward and maxBackward accumulate into dx', async () => {
    const dx = be.fromArray([1, 1, 1, 1, 1, 1], [2, 3]);
    be.broadcastBackward(be.fromArray([10, 20], [2]), 1, 0.5, dx);
    expect(await read(dx)).toEqual([6, 6, 6, 11, 11, 11]);
    const dx0 = be.fromArray([1, 1, 1, 1, 1, 1], [2, 3]);
    be.maxBackward(be.fromArray([7, 8, 9], [3]), be.fromArray([1, 0, 1], [3], 'i32'), 0, dx0);
    expect(await read(dx0)).toEqual([1, 9, 1, 8, 1, 10]);
  });

  it('sums an empty axis to zero', async () => {
    const out = be.fromArray([3, 3], [2]);
    be.sum(be.zeros([2, 0]), 1, out);
    expect(await read(out)).toEqual([0, 0]);
  });

  it('names the kernel and the shapes on bad input', () => {
    const z = (...s: number[]) => be.zeros(s);
    expect(() => be.sum(z(2, 3), 0, z(2))).toThrow(/sum: out has shape \[2\], expected \[3\]/);
    expect(() => be.mean(z(2, 3), 2, z(2))).toThrow(/mean: axis 2 is out of range .*\[2,3\]/);
    expect(() => be.sum(z(2, 3), -1, z(2))).toThrow(/sum: axis -1/);
    expect(() => be.mean(z(2, 0), 1, z(2))).toThrow(/mean: cannot reduce the empty axis/);
    expect(() => be.max(z(2, 3), 1, z(2), z(2))).toThrow(/max: argmax has dtype f32, expected i32/);
    expect(() => be.max(z(2, 3), 1, z(2), be.zeros([3], 'i32'))).toThrow(/max: argmax has shape \[3\], expected \[2\]/);
    expect(() => be.broadcastBackward(z(3), 1, 1, z(2, 3))).toThrow(/broadcastBackward: dout \[3\] must be dx \[2,3\] without axis 1/);
    expect(() => be.broadcastBackward(z(2), 1, Infinity, z(2, 3))).toThrow(/factor/);
    expect(() => be.maxBackward(z(2), z(2), 1, z(2, 3))).toThrow(/maxBackward: argmax has dtype f32/);
    // With n = 1 the reduced tensor can be a view of the same memory.
    const x = z(2, 1);
    expect(() => be.sum(x, 1, viewAs(x, [2]))).toThrow(/sum: .* must not alias/);
    expect(() => be.broadcastBackward(viewAs(x, [2]), 1, 1, x)).toThrow(/broadcastBackward: .* must not alias/);
  });

  describe('backward matches finite differences', () => {
    const shape = [3, 4, 2];
    for (const axis of [0, 1, 2]) {
      const outShape = shape.filter((_, i) => i !== axis);
      it(`sum and mean over axis ${axis}`, () => {
        const rng = new Rng(10 + axis);
        const x = be.fromArray(randn(rng, 24), shape);
        const s = be.zeros(outShape), m = be.zeros(outShape);
        gradcheck({
          be,
          wrt: { x },
          forward: () => (be.sum(x, axis, s), be.mean(x, axis, m), [s, m]),
          backward: ([ds, dm]) => {
            const dx = be.zeros(shape);
            be.broadcastBackward(ds, axis, 1, dx);
            be.broadcastBackward(dm, axis, 1 / shape[axis], dx);
            return { x: dx };
          },
        });
      });

      it(`max over axis ${axis}`, () => {
        // Distinct, well-separated values so the ±eps probes never change the argmax.
        const rng = new Rng(20 + axis);
        const perm = Array.from({ length: 24 }, (_, i) => i).sort(() => rng.uniform() - 0.5);
        const x = be.fromArray(perm.map((v) => v * 0.1), shape);
        const out = be.zeros(outShape), arg = be.zeros(outShape, 'i32');
        gradcheck({
          be,
          wrt: { x },
          forward: () => (be.max(x, axis, out, arg), out),
          backward: ([dout]) => {
            const dx = be.zeros(shape);
            be.maxBackward(dout, arg, axis, dx);
            return { x: dx };
          },
        });
      });
    }
  });
});
