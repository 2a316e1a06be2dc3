/**
 * Finite-difference checks of the wasm backend's own backward kernels (SIMD matmul, both attention paths,
 * RMSNorm, SiLU, and the JavaScript RoPE and log-prob kernels). Shapes are odd on purpose: partial register
 * tiles, vector tails, masked rows. Parity with the oracle is checked elsewhere; this checks the derivatives.
 */
import { describe, it } from 'vitest';
import type { AttentionMask, MatmulOptions } from '../../src/engine/kernels';
import { Rng } from '../../src/engine/rng';
import type { Tensor } from '../../src/engine/tensor';
import { gradcheck } from '../harness/gradcheck';
import { randint, randn } from '../harness/random';
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

  // Training-like (5 query rows: the per-(batch, head) matmul path) and decoding-like (1 row: the row loops).
  const cases = [
    { name: 'matmul path', B: 2, T: 5, H: 2, D: 6, Smax: 8, qPos0: 2, kLen: 7 },
    { name: 'row path', B: 2, T: 1, H: 2, D: 6, Smax: 8, qPos0: 5, kLen: 6 },
  ];
  for (const { name, B, T, H, D, Smax, qPos0, kLen } of cases) {
    describe(`attention, ${name}`, () => {
      const rng = new Rng(T * 100 + D);
      const q = tensor(rng, [B, T, H, D]), k = tensor(rng, [B, Smax, H, D]), v = tensor(rng, [B, Smax, H, D]);
      const mask = (): AttentionMask => ({ qPos0, kLen, keyStart: be.fromArray([0, 3], [B], 'i32') });
      const map = [B, H, T, kLen];

      it('attnScoresBackward', () => {
        const m = mask(), scores = be.zeros(map);
        gradcheck({
          be,
          wrt: { q, k },
          forward: () => (be.attnScores(q, k, scores, 0.8, m), scores),
          backward: ([ds]) => {
            const dq = be.zeros(q.shape), dk = be.zeros(k.shape);
            be.attnScoresBackward(ds, q, k, dq, dk, 0.8, m);
            return { q: dq, k: dk };
          },
        });
      });

      it('attnSoftmaxBackward', () => {
        const m = mask(), scores = tensor(rng, map), probs = be.zeros(map);
        gradcheck({
          be,
          wrt: { scores },
          forward: () => (be.attnSoftmax(scores, probs, m), probs),
          backward: ([dp]) => {
            const ds = be.zeros(map);
            be.attnSoftmaxBackward(probs, dp, ds);
            return { scores: ds };
          },
        });
      });

      it('attnValuesBackward', () => {
        const probs = tensor(rng, map), out = be.zeros([B, T, H, D]);
        gradcheck({
          be,
          wrt: { probs, v },
          forward: () => (be.attnValues(probs, v, out), out),
          backward: ([dout]) => {
            const dp = be.zeros(map), dv = be.zeros(v.shape);
            be.attnValuesBackward(dout, probs, v, dp, dv);
            return { probs: dp, v: dv };
          },
        });
      });
    });
  }

  it('rmsnormBackward (width not a multiple of 4)', () => {
    const rng = new Rng(5);
    const [N, C] = [3, 10];
    const x = tensor(rng, [N, C]), w = tensor(rng, [C]), out = be.zeros([N, C]), rstd = be.zeros([N]);
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

  it('tokenLogprobsBackward (scratch-row log-softmax), logp and entropy at temperature 0.7', () => {
    const rng = new Rng(8);
    const [N, V] = [4, 7];
    const logits: Tensor = tensor(rng, [N, V], 2);
    const targets = be.fromArray(randint(rng, N, V), [N], 'i32');
    const logp = be.zeros([N]), entropy = be.zeros([N]);
    gradcheck({
      be,
      wrt: { logits },
      forward: () => (be.tokenLogprobs(logits, targets, logp, entropy, 0.7), [logp, entropy]),
      backward: ([dlogp, dentropy]) => {
        const dlogits = be.zeros([N, V]);
        be.tokenLogprobsBackward(logits, targets, dlogp, dentropy, dlogits, 0.7);
        return { logits: dlogits };
      },
    });
  });
});
