import { describe, it } from 'vitest';
import type { Backend } from '../../src/engine/backend';
import type { AttentionMask } from '../../src/engine/kernels';
import { Rng } from '../../src/engine/rng';
import { viewAs, type Tensor } from '../../src/engine/tensor';
import { assertClose } from '../harness/compare';
import { gpuBackend } from '../harness/gpu';
import { expectParity } from '../harness/parity';
import { randn } from '../harness/random';

interface Case {
  B: number;
  T: number;
  H: number;
  D: number;
  /** Key/cache length (≥ kLen). */
  Smax: number;
  qPos0: number;
  kLen: number;
  keyStart?: number[];
}

// Shape classes: tiny; odd sizes (not multiples of the 256-wide workgroup) with a decoding-like mask, a larger
// cache and a sequence whose first rows see no key at all; larger (~5 MFLOP in all, fine on SwiftShader).
const CASES: Record<string, Case> = {
  tiny: { B: 1, T: 2, H: 1, D: 4, Smax: 2, qPos0: 0, kLen: 2 },
  odd: { B: 3, T: 5, H: 3, D: 7, Smax: 13, qPos0: 4, kLen: 9, keyStart: [0, 2, 6] },
  larger: { B: 2, T: 40, H: 4, D: 32, Smax: 48, qPos0: 0, kLen: 40, keyStart: [0, 5] },
};
const TOL = { atol: 2e-5, rtol: 2e-4 };

function setup(be: Backend, c: Case, seed: number) {
  const rng = new Rng(seed);
  const t = (shape: number[]) => be.fromArray(randn(rng, shape.reduce((a, b) => a * b, 1)), shape);
  const mask: AttentionMask = { qPos0: c.qPos0, kLen: c.kLen, keyStart: c.keyStart && be.fromArray(c.keyStart, [c.B], 'i32') };
  const heads = [c.B, c.T, c.H, c.D], cache = [c.B, c.Smax, c.H, c.D], map = [c.B, c.H, c.T, c.kLen];
  return { t, mask, heads, cache, map };
}

describe('attention: webgpu and wasm vs cpu oracle', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`forward kernels (${name})`, async () => {
      await expectParity(`attention forward ${name}`, (be) => {
        const { t, mask, heads, cache, map } = setup(be, c, 1);
        const q = t(heads), k = t(cache), v = t(cache);
        const scores = be.zeros(map), probs = be.zeros(map), out = be.zeros(heads);
        be.attnScores(q, k, scores, 1 / Math.sqrt(c.D), mask);
        be.attnSoftmax(scores, probs, mask);
        be.attnValues(probs, v, out);
        const rows = be.zeros([c.B, c.Smax + 1, c.H * c.D]);
        be.writeRows(viewAs(q, [c.B, c.T, c.H * c.D]), rows, 1);
        return { scores, probs, out, rows };
      }, TOL);
    });

    it(`backward kernels accumulate (${name})`, async () => {
      await expectParity(`attention backward ${name}`, (be) => {
        const { t, mask, heads, cache, map } = setup(be, c, 2);
        const q = t(heads), k = t(cache), v = t(cache), dout = t(heads), dprobsIn = t(map);
        const probs = be.zeros(map);
        be.attnSoftmax(t(map), probs, mask);
        // Gradients start non-zero so that accumulation (+=) is checked, not just assignment.
        const dq = t(heads), dk = t(cache), dv = t(cache), dprobs = t(map), dscores = t(map);
        be.attnValuesBackward(dout, probs, v, dprobs, dv);
        be.attnSoftmaxBackward(probs, dprobsIn, dscores);
        be.attnScoresBackward(dprobsIn, q, k, dq, dk, 0.7, mask);
        return { dq, dk, dv, dprobs, dscores };
      }, TOL);
    });
  }

  it('KV cache: token-by-token decoding with writeRows equals the full sequence, on both backends', async () => {
    const { B, T, H, D, keyStart } = CASES.odd;
    const C = H * D, Smax = T + 3;
    const rng = new Rng(3);
    const [qa, ka, va] = [0, 1, 2].map(() => randn(rng, B * T * C));
    /** Row r of every sequence of x [B,T,C], as [B,1,C] host data. */
    const token = (x: Float32Array, r: number) =>
      Array.from({ length: B }, (_, b) => Array.from(x.subarray((b * T + r) * C, (b * T + r + 1) * C))).flat();
    const attend = (be: Backend, q: Tensor, k: Tensor, v: Tensor, mask: AttentionMask) => {
      const Tq = q.shape[1];
      const scores = be.zeros([B, H, Tq, mask.kLen]), probs = be.zeros([B, H, Tq, mask.kLen]), out = be.zeros([B, Tq, H, D]);
      be.attnScores(q, k, scores, 0.4, mask);
      be.attnSoftmax(scores, probs, mask);
      be.attnValues(probs, v, out);
      return out;
    };
    const decode = (be: Backend) => {
      const starts = be.fromArray(keyStart!, [B], 'i32');
      const seq = (x: Float32Array) => be.fromArray(x, [B, T, H, D]);
      const full = attend(be, seq(qa), seq(ka), seq(va), { qPos0: 0, kLen: T, keyStart: starts });
      const kCache = be.zeros([B, Smax, C]), vCache = be.zeros([B, Smax, C]), stepwise = be.zeros([B, T, C]);
      for (let r = 0; r < T; r++) {
        be.writeRows(be.fromArray(token(ka, r), [B, 1, C]), kCache, r);
        be.writeRows(be.fromArray(token(va, r), [B, 1, C]), vCache, r);
        const q = be.fromArray(token(qa, r), [B, 1, H, D]);
        const heads = (cache: Tensor) => viewAs(cache, [B, Smax, H, D]);
        const out = attend(be, q, heads(kCache), heads(vCache), { qPos0: r, kLen: r + 1, keyStart: starts });
        be.writeRows(viewAs(out, [B, 1, C]), stepwise, r);
      }
      return { full: viewAs(full, [B, T, C]), stepwise, kCache, vCache };
    };
    await expectParity('attention kv-cache', decode, TOL);
    const gpu = await gpuBackend();
    const { full, stepwise } = decode(gpu);
    assertClose('gpu stepwise vs gpu full', await gpu.read(stepwise), await gpu.read(full), TOL);
  });
});
