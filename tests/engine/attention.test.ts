import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import type { AttentionMask } from '../../src/engine/kernels';
import { Rng } from '../../src/engine/rng';
import { viewAs, type Tensor } from '../../src/engine/tensor';
import { assertClose } from '../harness/compare';
import { cpuSideBackends } from '../harness/cpuSideBackends';
import { gradcheck } from '../harness/gradcheck';
import { randn } from '../harness/random';

const be = createCpuBackend();
const TOL = { atol: 1e-5, rtol: 1e-5 };

/** scores → softmax → values on the cpu backend, returning the output [B,T,H,D] and probs. */
function attend(q: Tensor, k: Tensor, v: Tensor, mask: AttentionMask, scale: number) {
  const [B, T, H, D] = q.shape;
  const scores = be.zeros([B, H, T, mask.kLen]), probs = be.zeros([B, H, T, mask.kLen]), out = be.zeros([B, T, H, D]);
  be.attnScores(q, k, scores, scale, mask);
  be.attnSoftmax(scores, probs, mask);
  be.attnValues(probs, v, out);
  return { scores, probs, out };
}

/**
 * Textbook causal attention over plain arrays, independent of the kernels: for query i the logits of keys
 * start..i go through a softmax and weight the values; a query with no key gets 0.
 */
function referenceAttention(q: Float32Array, k: Float32Array, v: Float32Array, B: number, T: number, H: number, D: number, scale: number, starts: number[]) {
  const out = new Float64Array(B * T * H * D);
  const at = (b: number, t: number, h: number) => ((b * T + t) * H + h) * D;
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++)
      for (let i = 0; i < T; i++) {
        const keys = [];
        for (let j = starts[b]; j <= i; j++) keys.push(j);
        const logits = keys.map((j) => scale * q.subarray(at(b, i, h), at(b, i, h) + D).reduce((s, x, d) => s + x * k[at(b, j, h) + d], 0));
        const m = Math.max(...logits);
        const w = logits.map((l) => Math.exp(l - m));
        const z = w.reduce((s, x) => s + x, 0);
        keys.forEach((j, n) => {
          for (let d = 0; d < D; d++) out[at(b, i, h) + d] += (w[n] / z) * v[at(b, j, h) + d];
        });
      }
  return out;
}

const read = async (t: Tensor) => Array.from(await be.read(t));

/** Row t of every sequence of x viewed as [B,T,C], concatenated ([B,1,C]). */
function tokenRows(x: Float32Array, B: number, T: number, C: number, t: number): number[] {
  return Array.from({ length: B }, (_, b) => Array.from(x.subarray((b * T + t) * C, (b * T + t + 1) * C))).flat();
}

describe('attention oracle', () => {
  it('computes a 2-token causal attention by hand', async () => {
    // B=1, T=2, H=1, D=2.
    const q = be.fromArray([1, 0, 0, 2], [1, 2, 1, 2]);
    const k = be.fromArray([1, 1, 2, -1], [1, 2, 1, 2]);
    const v = be.fromArray([3, 0, 0, 4], [1, 2, 1, 2]);
    const { scores, probs, out } = attend(q, k, v, { qPos0: 0, kLen: 2 }, 0.5);
    // Row 0 sees key 0 only: 0.5·(1·1) = 0.5; row 1 sees both: 0.5·(0+2) = 1 and 0.5·(0−2) = −1.
    expect(await read(scores)).toEqual([0.5, 0, 1, -1]);
    const p = 1 / (1 + Math.exp(-2));
    assertClose('probs', await read(probs), [1, 0, p, 1 - p], TOL);
    assertClose('out', await read(out), [3, 0, 3 * p, 4 * (1 - p)], TOL);
  });

  it('scores → softmax → values equals a hand-written causal attention (with left padding)', async () => {
    const [B, T, H, D] = [2, 6, 3, 4];
    const rng = new Rng(11);
    const [qa, ka, va] = [randn(rng, B * T * H * D), randn(rng, B * T * H * D), randn(rng, B * T * H * D)];
    const q = be.fromArray(qa, [B, T, H, D]), k = be.fromArray(ka, [B, T, H, D]), v = be.fromArray(va, [B, T, H, D]);
    const starts = [0, 2];
    const mask = { qPos0: 0, kLen: T, keyStart: be.fromArray(starts, [B], 'i32') };
    const { out } = attend(q, k, v, mask, 0.5);
    assertClose('out vs reference', await read(out), referenceAttention(qa, ka, va, B, T, H, D, 0.5, starts), TOL);
  });

  it('gives exactly zero probabilities at masked entries and for rows with no visible key', async () => {
    const [B, T, H, D] = [1, 4, 1, 2];
    const rng = new Rng(5);
    const q = be.fromArray(randn(rng, 8), [B, T, H, D]), k = be.fromArray(randn(rng, 8), [B, T, H, D]);
    const mask = { qPos0: 0, kLen: T, keyStart: be.fromArray([2], [1], 'i32') };
    const scores = be.zeros([B, H, T, T]), probs = be.zeros([B, H, T, T]);
    be.fill(scores, 9);
    be.attnScores(q, k, scores, 1, mask);
    be.attnSoftmax(scores, probs, mask);
    const s = await read(scores), p = await read(probs);
    const visible = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1];
    visible.forEach((vis, n) => {
      if (!vis) {
        expect(s[n]).toBe(0);
        expect(p[n]).toBe(0);
      }
    });
    expect(p.slice(8, 12)).toEqual([0, 0, 1, 0]);
    assertClose('row 3 sums to 1', [p[14] + p[15]], [1], TOL);
  });

  it('left padding (keyStart) hides the padded keys: outputs equal the unpadded sequence', async () => {
    const [T, H, D, pad] = [3, 2, 4, 2];
    const rng = new Rng(21);
    const rows = T * H * D;
    const [qa, ka, va] = [randn(rng, rows), randn(rng, rows), randn(rng, rows)];
    const plain = attend(be.fromArray(qa, [1, T, H, D]), be.fromArray(ka, [1, T, H, D]), be.fromArray(va, [1, T, H, D]), { qPos0: 0, kLen: T }, 0.7);
    // The same sequence after `pad` rows of garbage; keys before keyStart must not matter.
    const padded = (x: Float32Array) => be.fromArray([...randn(rng, pad * H * D, 5), ...x], [1, pad + T, H, D]);
    const mask = { qPos0: 0, kLen: pad + T, keyStart: be.fromArray([pad], [1], 'i32') };
    const res = attend(padded(qa), padded(ka), padded(va), mask, 0.7);
    const out = await read(res.out);
    assertClose('padded rows are zero', out.slice(0, pad * H * D), new Array(pad * H * D).fill(0), TOL);
    assertClose('real rows match', out.slice(pad * H * D), await read(plain.out), TOL);
  });

  it('KV cache: token-by-token decoding with writeRows equals the full sequence', async () => {
    const [B, T, H, D, Smax] = [2, 5, 2, 3, 8];
    const rng = new Rng(7);
    const n = B * T * H * D;
    const [qa, ka, va] = [randn(rng, n), randn(rng, n), randn(rng, n)];
    const keyStart = be.fromArray([0, 1], [B], 'i32');
    const full = attend(be.fromArray(qa, [B, T, H, D]), be.fromArray(ka, [B, T, H, D]), be.fromArray(va, [B, T, H, D]), { qPos0: 0, kLen: T, keyStart }, 0.6);
    const want = await read(full.out);
    const kCache = be.zeros([B, Smax, H * D]), vCache = be.zeros([B, Smax, H * D]);
    const heads = (c: Tensor) => viewAs(c, [B, Smax, H, D]);
    for (let t = 0; t < T; t++) {
      be.writeRows(be.fromArray(tokenRows(ka, B, T, H * D, t), [B, 1, H * D]), kCache, t);
      be.writeRows(be.fromArray(tokenRows(va, B, T, H * D, t), [B, 1, H * D]), vCache, t);
      const qt = be.fromArray(tokenRows(qa, B, T, H * D, t), [B, 1, H, D]);
      const got = await read(attend(qt, heads(kCache), heads(vCache), { qPos0: t, kLen: t + 1, keyStart }, 0.6).out);
      assertClose(`t=${t}`, got, tokenRows(Float32Array.from(want), B, T, H * D, t), TOL);
    }
  });

  it('writeRows copies rows into the cache at an offset and leaves the rest alone', async () => {
    const cache = be.zeros([2, 4, 2]);
    be.fill(cache, -1);
    be.writeRows(be.fromArray([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]), cache, 1);
    expect(await read(cache)).toEqual([-1, -1, 1, 2, 3, 4, -1, -1, -1, -1, 5, 6, 7, 8, -1, -1]);
  });
});

/**
 * Mask shapes for the finite-difference checks, each with a cache longer than kLen and one left-padded sequence.
 * The wasm backend runs training-like blocks (several query rows) through per-(batch, head) matmuls and single
 * decoding rows through row loops; odd head widths leave partial vector tiles.
 */
const backwardCases = [
  { name: '3 queries at positions 2..4 over 5 of 7 keys', B: 2, T: 3, H: 2, D: 3, Smax: 7, qPos0: 2, kLen: 5, seed: 99 },
  { name: '5 queries over 7 of 8 keys (wasm matmul path)', B: 2, T: 5, H: 2, D: 6, Smax: 8, qPos0: 2, kLen: 7, seed: 506 },
  { name: '1 query at position 5 over 6 of 8 keys (wasm row path)', B: 2, T: 1, H: 2, D: 6, Smax: 8, qPos0: 5, kLen: 6, seed: 106 },
];

describe.each(await cpuSideBackends())('attention backward on $name (finite differences)', ({ be }) => {
  describe.each(backwardCases)('$name', ({ B, T, H, D, Smax, qPos0, kLen: S, seed }) => {
    const mask = (): AttentionMask => ({ qPos0, kLen: S, keyStart: be.fromArray([0, 3], [B], 'i32') });
    const rng = new Rng(seed);
    const q = be.fromArray(randn(rng, B * T * H * D), [B, T, H, D]);
    const k = be.fromArray(randn(rng, B * Smax * H * D), [B, Smax, H, D]);
    const v = be.fromArray(randn(rng, B * Smax * H * D), [B, Smax, H, D]);

    it('attnScoresBackward', () => {
      const m = mask();
      const scores = be.zeros([B, H, T, S]);
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
      const m = mask();
      const scores = be.fromArray(randn(rng, B * H * T * S), [B, H, T, S]), probs = be.zeros([B, H, T, S]);
      gradcheck({
        be,
        wrt: { scores },
        forward: () => (be.attnSoftmax(scores, probs, m), probs),
        backward: ([dp]) => {
          const ds = be.zeros(scores.shape);
          be.attnSoftmaxBackward(probs, dp, ds);
          return { scores: ds };
        },
      });
    });

    it('attnValuesBackward', () => {
      const probs = be.fromArray(randn(rng, B * H * T * S), [B, H, T, S]), out = be.zeros([B, T, H, D]);
      gradcheck({
        be,
        wrt: { probs, v },
        forward: () => (be.attnValues(probs, v, out), out),
        backward: ([dout]) => {
          const dp = be.zeros(probs.shape), dv = be.zeros(v.shape);
          be.attnValuesBackward(dout, probs, v, dp, dv);
          return { probs: dp, v: dv };
        },
      });
    });

    it('end to end: q, k, v through scores → softmax → values', () => {
      const m = mask();
      const scores = be.zeros([B, H, T, S]), probs = be.zeros([B, H, T, S]), out = be.zeros([B, T, H, D]);
      gradcheck({
        be,
        wrt: { q, k, v },
        forward: () => {
          be.attnScores(q, k, scores, 0.6, m);
          be.attnSoftmax(scores, probs, m);
          be.attnValues(probs, v, out);
          return out;
        },
        backward: ([dout]) => {
          const dq = be.zeros(q.shape), dk = be.zeros(k.shape), dv = be.zeros(v.shape);
          const dprobs = be.zeros(probs.shape), dscores = be.zeros(scores.shape);
          be.attnValuesBackward(dout, probs, v, dprobs, dv);
          be.attnSoftmaxBackward(probs, dprobs, dscores);
          be.attnScoresBackward(dscores, q, k, dq, dk, 0.6, m);
          return { q: dq, k: dk, v: dv };
        },
      });
    });
  });

  it('backward kernels accumulate into their gradients and skip masked scores', async () => {
    const { B, T, H, D, Smax, qPos0, kLen: S } = backwardCases[0];
    const m: AttentionMask = { qPos0, kLen: S, keyStart: be.fromArray([0, 3], [B], 'i32') };
    const rng = new Rng(98);
    const q = be.fromArray(randn(rng, B * T * H * D), [B, T, H, D]);
    const k = be.fromArray(randn(rng, B * Smax * H * D), [B, Smax, H, D]);
    const ds = be.fromArray(randn(rng, B * H * T * S), [B, H, T, S]);
    const once = be.zeros(q.shape), twice = be.zeros(q.shape), dk = be.zeros(k.shape);
    be.attnScoresBackward(ds, q, k, once, dk, 1, m);
    be.attnScoresBackward(ds, q, k, twice, dk, 1, m);
    be.attnScoresBackward(ds, q, k, twice, dk, 1, m);
    assertClose('dq twice', await be.read(twice), Array.from(await be.read(once), (x) => 2 * x), TOL);
    // Keys past kLen and keys before keyStart of sequence 1 (rows 0..2) never receive a gradient.
    const g = Array.from(await be.read(dk));
    const row = (b: number, j: number) => g.slice((b * Smax + j) * H * D, (b * Smax + j + 1) * H * D);
    for (const [b, j] of [[0, 5], [0, 6], [1, 0], [1, 2], [1, 6]]) expect(row(b, j).every((x) => x === 0)).toBe(true);
    expect(row(1, 3).some((x) => x !== 0)).toBe(true);
  });
});

describe('attention shape errors', () => {
  const q = be.zeros([1, 3, 2, 4]), k = be.zeros([1, 5, 2, 4]);

  it('rejects a kLen larger than the cache and queries beyond kLen', () => {
    expect(() => be.attnScores(q, k, be.zeros([1, 2, 3, 6]), 1, { qPos0: 0, kLen: 6 })).toThrow(/attnScores: mask.kLen 6 is larger than the key\/cache length 5/);
    expect(() => be.attnScores(q, k, be.zeros([1, 2, 3, 4]), 1, { qPos0: 2, kLen: 4 })).toThrow(/attnScores: queries reach position qPos0 \+ T = 2 \+ 3 = 5 but only kLen = 4/);
    expect(() => be.attnScores(q, k, be.zeros([1, 2, 3, 3]), 1, { qPos0: -1, kLen: 3 })).toThrow(/qPos0 must be a non-negative integer/);
  });

  it('names the kernel and the offending tensor', () => {
    expect(() => be.attnScores(q, be.zeros([1, 5, 2, 3]), be.zeros([1, 2, 3, 5]), 1, { qPos0: 0, kLen: 5 })).toThrow(/attnScores: k has shape \[1,5,2,3\], expected \[1,-1,2,4\]/);
    expect(() => be.attnScores(q, k, be.zeros([1, 2, 3, 4]), 1, { qPos0: 0, kLen: 5 })).toThrow(/attnScores: scores has shape \[1,2,3,4\], expected \[1,2,3,5\]/);
    expect(() => be.attnScores(q, k, be.zeros([1, 2, 3, 5]), 1, { qPos0: 0, kLen: 5, keyStart: be.zeros([1]) })).toThrow(/mask.keyStart has dtype f32, expected i32/);
    expect(() => be.attnSoftmax(be.zeros([1, 2, 3, 5]), be.zeros([1, 2, 3, 5]), { qPos0: 0, kLen: 4 })).toThrow(/attnSoftmax: mask.kLen 4 must equal/);
    expect(() => be.attnSoftmaxBackward(be.zeros([1, 2, 3, 5]), be.zeros([1, 2, 3, 4]), be.zeros([1, 2, 3, 5]))).toThrow(/attnSoftmaxBackward: shape mismatch/);
    expect(() => be.attnValues(be.zeros([1, 2, 3, 6]), k, be.zeros([1, 3, 2, 4]))).toThrow(/attnValues: probs \[1,2,3,6\] cover 6 keys but v \[1,5,2,4\] holds only 5/);
    expect(() => be.attnValuesBackward(be.zeros([1, 3, 2, 4]), be.zeros([1, 2, 3, 5]), k, be.zeros([1, 2, 3, 5]), be.zeros([1, 4, 2, 4]))).toThrow(/attnValuesBackward: shape mismatch/);
    const s = be.zeros([1, 2, 3, 5]);
    expect(() => be.attnSoftmax(s, s, { qPos0: 0, kLen: 5 })).toThrow(/attnSoftmax: .* must not alias/);
  });

  it('rejects a writeRows that overflows the cache', () => {
    expect(() => be.writeRows(be.zeros([1, 2, 4]), be.zeros([1, 5, 4]), 4)).toThrow(/writeRows: rows 4..5 of src \[1,2,4\] overflow cache \[1,5,4\]/);
    expect(() => be.writeRows(be.zeros([1, 2, 4]), be.zeros([1, 5, 3]), 0)).toThrow(/writeRows: cache has shape \[1,5,3\], expected \[1,-1,4\]/);
  });
});
