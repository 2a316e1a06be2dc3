/**
 * Finite-difference checks of wasm backward kernels whose odd shapes the oracle's tests don't use: SIMD matmul
 * with partial register tiles, SiLU over vector lanes and a tail, and RoPE through the angle table. Attention,
 * RMSNorm and log-prob backwards are checked on every CPU-side backend in their own test files.
 */
import { describe, it } from 'vitest';
import type { MatmulOptions } from '../../src/engine/kernels';
import { Rng } from '../../src/engine/rng';
import { gradcheck } from '../harness/gradcheck';
import { randn } from '../harness/random';
import { wasmBackend } from '../harness/wasm';

const be = await wasmBackend();
const tensor = (rng: Rng, shape: number[], std = 1) => be.fromArray(randn(rng, shape.reduce((a, b) => a * b, 1), std), shape);

describe('wasm backward kernels (finite differences)', () => {
  const layouts: MatmulOptions[] = [{}, { transA: true }, { transB: true, alpha: -0.7 }, { transA: true, transB: true, alpha: 1.3 }];
  for (const opts of layouts) {
    it(`matmul ${opts.transA ? 'T' : 'N'}${opts.transB ? 'T' : 'N'} (partial 4×8 tiles)`, () => {
      const [M, K, N] = [5, 6, 9];
      const rng = new Rng(M + (opts.transA ? 10 : 0) + (opts.transB ? 20 : 0));
      const a = tensor(rng, opts.transA ? [K, M] : [M, K]), b = tensor(rng, opts.transB ? [N, K] : [K, N]);
      const out = be.zeros([M, N]);
      const alpha = opts.alpha ?? 1;
      gradcheck({
        be,
        wrt: { a, b },
        forward: () => (be.matmul(a, b, out, opts), out),
        backward: ([dc]) => {
          const da = be.zeros(a.shape), db = be.zeros(b.shape);
          // d op(A) = dC·op(B)ᵀ, d op(B) = op(A)ᵀ·dC, each written back in the stored layout.
          if (opts.transA) be.matmul(b, dc, da, { transA: !!opts.transB, transB: true, alpha, accumulate: true });
          else be.matmul(dc, b, da, { transB: !opts.transB, alpha, accumulate: true });
          if (opts.transB) be.matmul(dc, a, db, { transA: true, transB: !!opts.transA, alpha, accumulate: true });
          else be.matmul(a, dc, db, { transA: !opts.transA, alpha, accumulate: true });
          return { a: da, b: db };
        },
      });
    });
  }

  it('SiLU backward (vector lanes and tail)', () => {
    const x = tensor(new Rng(6), [11], 3), out = be.zeros([11]);
    gradcheck({
      be,
      wrt: { x },
      forward: () => (be.activation(x, out, 'silu'), out),
      backward: ([dout]) => {
        const dx = be.zeros([11]);
        be.activationBackward(x, dout, dx, 'silu');
        return { x: dx };
      },
    });
  });

  it('RoPE backward is the inverse rotation (angle table)', () => {
    const rng = new Rng(7);
    const [B, T, H, D] = [2, 3, 2, 6];
    const x = tensor(rng, [B, T, H, D]), out = be.zeros([B, T, H, D]);
    const positions = be.fromArray([0, 4, 9, 1, 2, 30], [B, T], 'i32');
    gradcheck({
      be,
      wrt: { x },
      forward: () => (be.rope(x, positions, out, 10000, false, false), out),
      backward: ([dout]) => {
        const dx = be.zeros(x.shape);
        be.rope(dout, positions, dx, 10000, true, true);
        return { x: dx };
      },
    });
  });
});
