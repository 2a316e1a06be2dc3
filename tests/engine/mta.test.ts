import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import type { AttentionMask, HeadMixOptions, MtaPadKey } from '../../src/engine/kernels';
import { Rng } from '../../src/engine/rng';
import type { Tensor } from '../../src/engine/tensor';
import { gradcheck } from '../harness/gradcheck';
import { randn } from '../harness/random';

const be = createCpuBackend();
const PADS: MtaPadKey[] = ['both', 'left', 'right'];
const read = async (t: Tensor) => Array.from(await be.read(t));

/** Key-window offset of the identity tap (the "self" column) per padding mode. */
const selfColumn = (pad: MtaPadKey, ck: number) => (pad === 'both' ? (ck - 1) / 2 : pad === 'left' ? ck - 1 : 0);

/** The oracle-independent visibility rule: keyStart[b] <= j <= qPos0 + i. */
const visibleFn = (qPos0: number, starts: number[]) => (b: number, i: number, j: number) => j >= starts[b] && j <= qPos0 + i;

describe('mtaConv oracle: hand-computed cases', () => {
  // x = [[1,2,3],[4,5,6],[7,8,9]] is causally masked to x̃ = [[1,0,0],[4,5,0],[7,8,9]]; kernel rows: a=0 reads the
  // previous query row, a=1 the current one.
  const x = () => be.fromArray([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);
  const kernel = () => be.fromArray([1, 2, 3, 4, 5, 6], [1, 2, 3]);
  const mask: AttentionMask = { qPos0: 0, kLen: 3 };

  it("'both' padding, c_q=2, c_k=3", async () => {
    const out = be.zeros([1, 1, 3, 3]);
    be.mtaConv(x(), kernel(), out, mask, 'both');
    // e.g. out[1,1] = (1·1 + 2·x̃[0,1] + 3·x̃[0,2]) + (4·4 + 5·5 + 6·x̃[1,2]) = 1 + 41 = 42;
    //      out[2,2] = (1·5 + 2·0 + 3·pad) + (4·8 + 5·9 + 6·pad) = 5 + 77 = 82.
    expect(await read(out)).toEqual([5, 0, 0, 52, 42, 0, 106, 136, 82]);
  });

  it("'left' padding shifts the window one column further into the past", async () => {
    const out = be.zeros([1, 1, 3, 3]);
    be.mtaConv(x(), kernel(), out, mask, 'left');
    // out[1,0] = 3·x̃[0,0] + 6·x̃[1,0] = 3 + 24 = 27
    expect(await read(out)).toEqual([6, 0, 0, 27, 52, 0, 54, 106, 136]);
  });

  it("'right' padding looks at the current and later keys", async () => {
    const out = be.zeros([1, 1, 3, 3]);
    be.mtaConv(x(), kernel(), out, mask, 'right');
    // out[1,1] = (1·x̃[0,1] + ...) + (4·5 + 5·x̃[1,2] + 6·pad) = 0 + 20
    expect(await read(out)).toEqual([4, 0, 0, 42, 20, 0, 136, 82, 36]);
  });

  it('honours qPos0 and keyStart (decoding with left padding)', async () => {
    // Rows are query positions 1 and 2; keys before 1 are padding: x̃ = [[0,2,0],[0,5,6]].
    const out = be.zeros([1, 1, 2, 3]);
    const m: AttentionMask = { qPos0: 1, kLen: 3, keyStart: be.fromArray([1], [1], 'i32') };
    be.mtaConv(be.fromArray([1, 2, 3, 4, 5, 6], [1, 1, 2, 3]), kernel(), out, m, 'both');
    // out[1,1] = 2·2 + (5·5 + 6·6) = 65; out[1,2] = 1·2 + (4·5 + 5·6) = 52
    expect(await read(out)).toEqual([0, 10, 0, 0, 65, 52]);
  });
});

describe('mtaConv oracle: properties', () => {
  const B = 2, H = 3, T = 5, S = 7, cq = 3, ck = 5;
  const qPos0 = 2, starts = [0, 2];
  const mask = (): AttentionMask => ({ qPos0, kLen: S, keyStart: be.fromArray(starts, [B], 'i32') });
  const visible = visibleFn(qPos0, starts);

  for (const pad of PADS) {
    it(`identity kernel returns the zero-masked input (${pad})`, async () => {
      const rng = new Rng(11);
      const xs = randn(rng, B * H * T * S);
      const taps = new Float32Array(H * cq * ck);
      for (let h = 0; h < H; h++) taps[(h * cq + cq - 1) * ck + selfColumn(pad, ck)] = 1;
      const kernel = be.fromArray(taps, [H, cq, ck]);
      const out = be.zeros([B, H, T, S]);
      be.mtaConv(be.fromArray(xs, [B, H, T, S]), kernel, out, mask(), pad);
      const want = Array.from(xs, (v, n) => {
        const j = n % S, i = Math.floor(n / S) % T, b = Math.floor(n / (S * T * H));
        return visible(b, i, j) ? v : 0;
      });
      expect(await read(out)).toEqual(want);
    });

    it(`is causal: masked inputs and later rows never change earlier visible outputs (${pad})`, async () => {
      const rng = new Rng(12);
      const xs = randn(rng, B * H * T * S);
      const kernel = be.fromArray(randn(rng, H * cq * ck), [H, cq, ck]);
      const run = async (data: Float32Array) => {
        const out = be.zeros([B, H, T, S]);
        be.mtaConv(be.fromArray(data, [B, H, T, S]), kernel, out, mask(), pad);
        return read(out);
      };
      const base = await run(xs);
      // Masked outputs are exactly 0 (the post-softmax path relies on it).
      base.forEach((v, n) => {
        const j = n % S, i = Math.floor(n / S) % T, b = Math.floor(n / (S * T * H));
        if (!visible(b, i, j)) expect(v).toBe(0);
      });
      const poked = xs.map((v, n) => {
        const j = n % S, i = Math.floor(n / S) % T, b = Math.floor(n / (S * T * H));
        return visible(b, i, j) ? v : 1e3 + n;
      });
      expect(await run(poked)).toEqual(base);
      // Changing query row 3 (visible entries included) leaves rows 0..2 untouched.
      const later = xs.map((v, n) => (Math.floor(n / S) % T === 3 ? v + 5 : v));
      const changed = await run(later);
      changed.forEach((v, n) => {
        if (Math.floor(n / S) % T < 3) expect(v).toBe(base[n]);
      });
      expect(changed).not.toEqual(base);
    });

    it(`mtaConvBackward matches finite differences (${pad})`, () => {
      const rng = new Rng(13);
      const x = be.fromArray(randn(rng, B * H * T * S), [B, H, T, S]);
      const kernel = be.fromArray(randn(rng, H * cq * ck), [H, cq, ck]);
      const out = be.zeros([B, H, T, S]);
      // Non-zero starting gradients check that the backward accumulates.
      const dx0 = randn(rng, x.numel), dk0 = randn(rng, kernel.numel);
      gradcheck({
        be,
        wrt: { x, kernel },
        forward: () => (be.mtaConv(x, kernel, out, mask(), pad), out),
        backward: ([dout]) => {
          const dx = be.fromArray(dx0, x.shape), dk = be.fromArray(dk0, kernel.shape);
          be.mtaConvBackward(dout, x, kernel, dx, dk, mask(), pad);
          return { x: minus(dx, dx0), kernel: minus(dk, dk0) };
        },
      });
    });
  }
});

describe('headMix oracle', () => {
  it('full mixing in the nn.Linear layout: out[h] = Σ W[h,h′]·x[h′]', async () => {
    // x[b=0, h, i=0, j] for j = 0,1: head 0 = [1, 10], head 1 = [2, 20].
    const x = be.fromArray([1, 10, 2, 20], [1, 2, 1, 2]);
    const out = be.zeros([1, 2, 1, 2]);
    be.headMix(x, be.fromArray([1, 2, 3, 4], [2, 2]), out, { groupSize: 2, layout: 'linear' });
    expect(await read(out)).toEqual([1 + 4, 10 + 40, 3 + 8, 30 + 80]);
  });

  it("the official head_kernel layout 'inOut' is the transpose: out[o] = Σ K[in,o]·x[in]", async () => {
    const x = be.fromArray([1, 10, 2, 20], [1, 2, 1, 2]);
    const out = be.zeros([1, 2, 1, 2]);
    be.headMix(x, be.fromArray([1, 2, 3, 4], [1, 2, 2]), out, { groupSize: 2, layout: 'inOut' });
    expect(await read(out)).toEqual([1 + 6, 10 + 60, 2 + 8, 20 + 80]);
  });

  it('grouped mixing never mixes across groups', async () => {
    // H = 4 heads in 2 groups of 2, one map entry each: x = [1, 2, 3, 4].
    const x = be.fromArray([1, 2, 3, 4], [1, 4, 1, 1]);
    const out = be.zeros([1, 4, 1, 1]);
    be.headMix(x, be.fromArray([1, 0, 1, 1, 0, 1, 2, 0], [2, 2, 2]), out, { groupSize: 2, layout: 'inOut' });
    // group 0: K = [[1,0],[1,1]] → [1+2, 2]; group 1: K = [[0,1],[2,0]] → [2·4, 3]
    expect(await read(out)).toEqual([3, 2, 8, 3]);
  });

  const cases: [string, HeadMixOptions, number[]][] = [
    ['full linear', { groupSize: 4, layout: 'linear' }, [4, 4]],
    ['full inOut', { groupSize: 4, layout: 'inOut' }, [1, 4, 4]],
    ['grouped linear', { groupSize: 2, layout: 'linear' }, [2, 2, 2]],
    ['grouped inOut', { groupSize: 2, layout: 'inOut' }, [2, 2, 2]],
  ];
  for (const [name, opts, wShape] of cases) {
    it(`headMixBackward matches finite differences (${name})`, () => {
      const rng = new Rng(21);
      const shape = [2, 4, 3, 5];
      const x = be.fromArray(randn(rng, 120), shape);
      const weight = be.fromArray(randn(rng, wShape.reduce((p, d) => p * d, 1)), wShape);
      const out = be.zeros(shape);
      const dx0 = randn(rng, x.numel), dw0 = randn(rng, weight.numel);
      gradcheck({
        be,
        wrt: { x, weight },
        forward: () => (be.headMix(x, weight, out, opts), out),
        backward: ([dout]) => {
          const dx = be.fromArray(dx0, shape), dw = be.fromArray(dw0, wShape);
          be.headMixBackward(dout, x, weight, dx, dw, opts);
          return { x: minus(dx, dx0), weight: minus(dw, dw0) };
        },
      });
    });
  }
});

describe('mta shape errors', () => {
  const x = be.zeros([1, 2, 3, 3]);
  const mask: AttentionMask = { qPos0: 0, kLen: 3 };
  it('names the op and the offending shapes', () => {
    expect(() => be.mtaConv(x, be.zeros([3, 2, 3]), be.zeros([1, 2, 3, 3]), mask, 'both')).toThrow(/mtaConv: kernel has shape \[3,2,3\], expected \[2,-1,-1\]/);
    expect(() => be.mtaConv(x, be.zeros([2, 2, 4]), be.zeros([1, 2, 3, 3]), mask, 'both')).toThrow(/mtaConv: .*odd.*c_k = 4/);
    expect(() => be.mtaConv(x, be.zeros([2, 2, 3]), be.zeros([1, 2, 3, 4]), mask, 'left')).toThrow(/mtaConv: shape mismatch/);
    expect(() => be.mtaConv(x, be.zeros([2, 2, 3]), be.zeros([1, 2, 3, 3]), { qPos0: 0, kLen: 4 }, 'left')).toThrow(/mtaConv: mask.kLen 4/);
    expect(() =>
      be.mtaConv(x, be.zeros([2, 2, 3]), be.zeros([1, 2, 3, 3]), { qPos0: 0, kLen: 3, keyStart: be.zeros([1]) }, 'left'),
    ).toThrow(/mtaConv: mask.keyStart has dtype f32, expected i32/);
    expect(() => be.mtaConv(x, be.zeros([2, 2, 3]), x, mask, 'left')).toThrow(/mtaConv: .* must not alias/);
    expect(() => be.mtaConvBackward(x, x, be.zeros([2, 2, 3]), be.zeros([1, 2, 3, 3]), be.zeros([2, 3, 2]), mask, 'both')).toThrow(
      /mtaConvBackward: shape mismatch .*\[2,2,3\] vs .*\[2,3,2\]/,
    );
    expect(() => be.headMix(x, be.zeros([2, 2]), be.zeros([1, 2, 3, 3]), { groupSize: 3, layout: 'linear' })).toThrow(
      /headMix: groupSize 3 must divide the head count H = 2/,
    );
    expect(() => be.headMix(x, be.zeros([2, 1, 1]), be.zeros([1, 2, 3, 3]), { groupSize: 2, layout: 'inOut' })).toThrow(
      /headMix: weight has shape \[2,1,1\], expected \[1,2,2\]/,
    );
    expect(() => be.headMixBackward(x, x, be.zeros([2, 2]), be.zeros([1, 2, 3, 3]), be.zeros([4]), { groupSize: 2, layout: 'linear' })).toThrow(
      /headMixBackward: shape mismatch/,
    );
  });
});

/** The gradient a backward added on top of its starting value (so the check also covers accumulation). */
function minus(t: Tensor, start: Float32Array): Tensor {
  const d = (t.storage as { data: Float32Array }).data;
  return be.fromArray(d.map((v, i) => v - start[i]), t.shape);
}
