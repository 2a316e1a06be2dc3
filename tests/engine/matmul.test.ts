import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import type { MatmulOptions } from '../../src/engine/kernels';
import { Rng } from '../../src/engine/rng';
import { viewAs, type Tensor } from '../../src/engine/tensor';
import { gradcheck } from '../harness/gradcheck';
import { randn } from '../harness/random';

const be = createCpuBackend();
const read = async (t: Tensor) => Array.from(await be.read(t));

/** Stored shape of an operand whose op() is rows×cols. */
const stored = (rows: number, cols: number, trans: boolean, batch?: number) =>
  [...(batch === undefined ? [] : [batch]), ...(trans ? [cols, rows] : [rows, cols])];

/**
 * The backward of C = alpha·op(A)·op(B) with the same kernel: d op(A) = alpha·dC·op(B)ᵀ and d op(B) = alpha·op(A)ᵀ·dC,
 * each written in A's / B's stored layout (so a transposed operand gets the transpose of its op() gradient).
 */
function matmulBackward(a: Tensor, b: Tensor, dc: Tensor, da: Tensor, db: Tensor, { transA = false, transB = false, alpha = 1 }: MatmulOptions) {
  const acc = { accumulate: true, alpha };
  if (transA) be.matmul(b, dc, da, { ...acc, transA: transB, transB: true }); // dA = op(B)·dCᵀ
  else be.matmul(dc, b, da, { ...acc, transB: !transB }); // dA = dC·op(B)ᵀ
  if (transB) be.matmul(dc, a, db, { ...acc, transA: true, transB: transA }); // dB = dCᵀ·op(A)
  else be.matmul(a, dc, db, { ...acc, transA: !transA }); // dB = op(A)ᵀ·dC
}

describe('matmul oracle', () => {
  it('multiplies by hand in all four layouts', async () => {
    // op(A) = [[1,2,3],[4,5,6]], op(B) = [[1,0],[0,1],[2,-1]]  →  [[7,-1],[16,-1]].
    const want = [7, -1, 16, -1];
    const A = [1, 2, 3, 4, 5, 6], At = [1, 4, 2, 5, 3, 6];
    const B = [1, 0, 0, 1, 2, -1], Bt = [1, 0, 2, 0, 1, -1];
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const a = be.fromArray(transA ? At : A, stored(2, 3, transA));
        const b = be.fromArray(transB ? Bt : B, stored(3, 2, transB));
        const out = be.zeros([2, 2]);
        be.matmul(a, b, out, { transA, transB });
        expect(await read(out), `transA=${transA} transB=${transB}`).toEqual(want);
      }
    }
  });

  it('scales by alpha, overwrites, and accumulates when asked', async () => {
    const a = be.fromArray([1, 2], [1, 2]);
    const b = be.fromArray([3, 4], [2, 1]);
    const out = be.fromArray([100], [1, 1]);
    be.matmul(a, b, out, { alpha: 2 });
    expect(await read(out)).toEqual([22]);
    be.matmul(a, b, out, { alpha: -1, accumulate: true });
    expect(await read(out)).toEqual([11]);
  });

  it('batches, broadcasting a 2-D operand over the batch', async () => {
    // A [2,1,2] batched, B [2,2] shared: row b of A times B.
    const a = be.fromArray([1, 0, 0, 1], [2, 1, 2]);
    const b = be.fromArray([1, 2, 3, 4], [2, 2]);
    const out = be.zeros([2, 1, 2]);
    be.matmul(a, b, out);
    expect(await read(out)).toEqual([1, 2, 3, 4]);
    // A [1,2] shared, B [2,2,1] batched.
    const a2 = be.fromArray([1, 1], [1, 2]);
    const b2 = be.fromArray([1, 2, 3, 4], [2, 2, 1]);
    const out2 = be.zeros([2, 1, 1]);
    be.matmul(a2, b2, out2);
    expect(await read(out2)).toEqual([3, 7]);
  });

  it('writes zeros (or keeps out when accumulating) for K = 0', async () => {
    const out = be.fromArray([5, 5], [1, 2]);
    be.matmul(be.zeros([1, 0]), be.zeros([0, 2]), out, { accumulate: true });
    expect(await read(out)).toEqual([5, 5]);
    be.matmul(be.zeros([1, 0]), be.zeros([0, 2]), out);
    expect(await read(out)).toEqual([0, 0]);
  });

  it('names the kernel and the shapes on bad input', () => {
    const z = (...s: number[]) => be.zeros(s);
    expect(() => be.matmul(z(2, 3), z(4, 5), z(2, 5))).toThrow(/matmul: inner dimensions differ \(3 vs 4\).*\[2,3\].*\[4,5\]/);
    expect(() => be.matmul(z(2, 3), z(3, 5), z(5, 2))).toThrow(/matmul: out must be \[2,5\]/);
    expect(() => be.matmul(z(2, 3), z(5, 3), z(2, 5))).toThrow(/inner dimensions/);
    expect(() => be.matmul(z(3, 2, 3), z(4, 3, 5), z(3, 2, 5))).toThrow(/matmul: out must be \[3,2,5\]/);
    expect(() => be.matmul(z(3, 2, 3), z(3, 5), z(2, 5))).toThrow(/matmul: out must be/);
    expect(() => be.matmul(z(3), z(3, 5), z(1, 5))).toThrow(/matmul: a must be 2-D or 3-D/);
    expect(() => be.matmul(be.zeros([2, 2], 'i32'), z(2, 2), z(2, 2))).toThrow(/matmul: a has dtype i32/);
    const a = z(2, 2);
    expect(() => be.matmul(a, z(2, 2), a)).toThrow(/matmul: out must not alias/);
    expect(() => be.matmul(z(2, 2), z(2, 2), z(2, 2), { alpha: NaN })).toThrow(/alpha/);
  });

  describe('backward through the same kernel matches finite differences', () => {
    const cases: { name: string; batch?: number; transA: boolean; transB: boolean; alpha: number }[] = [
      { name: 'A·B', transA: false, transB: false, alpha: 1 },
      { name: 'A·Bᵀ', transA: false, transB: true, alpha: 0.5 },
      { name: 'Aᵀ·B', transA: true, transB: false, alpha: -2 },
      { name: 'Aᵀ·Bᵀ', transA: true, transB: true, alpha: 1 },
      { name: 'batched Aᵀ·B', batch: 3, transA: true, transB: false, alpha: 1 },
      { name: 'batched A·Bᵀ', batch: 2, transA: false, transB: true, alpha: 1.5 },
    ];
    for (const { name, batch, transA, transB, alpha } of cases) {
      it(name, () => {
        const [M, K, N] = [3, 4, 5];
        const rng = new Rng(M * 31 + (batch ?? 0));
        const aShape = stored(M, K, transA, batch), bShape = stored(K, N, transB, batch);
        const a = be.fromArray(randn(rng, M * K * (batch ?? 1)), aShape);
        const b = be.fromArray(randn(rng, K * N * (batch ?? 1)), bShape);
        const out = be.zeros(batch === undefined ? [M, N] : [batch, M, N]);
        const opts = { transA, transB, alpha };
        gradcheck({
          be,
          wrt: { a, b },
          forward: () => (be.matmul(a, b, out, opts), out),
          backward: ([dc]) => {
            const da = be.zeros(aShape), db = be.zeros(bShape);
            matmulBackward(a, b, dc, da, db, opts);
            return { a: da, b: db };
          },
        });
      });
    }

    it('a weight broadcast over the batch: dB sums over the batch by folding it into the rows', () => {
      const [Bt, M, K, N] = [3, 2, 4, 5];
      const rng = new Rng(9);
      const a = be.fromArray(randn(rng, Bt * M * K), [Bt, M, K]);
      const w = be.fromArray(randn(rng, N * K), [N, K]);
      const out = be.zeros([Bt, M, N]);
      gradcheck({
        be,
        wrt: { a, w },
        forward: () => (be.matmul(a, w, out, { transB: true }), out),
        backward: ([dc]) => {
          const da = be.zeros([Bt, M, K]), dw = be.zeros([N, K]);
          be.matmul(dc, w, da, { accumulate: true });
          be.matmul(viewAs(dc, [Bt * M, N]), viewAs(a, [Bt * M, K]), dw, { transA: true, accumulate: true });
          return { a: da, w: dw };
        },
      });
    });
  });
});
