import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import type { SampleOptions } from '../../src/engine/kernels';
import { Rng, uniformAt } from '../../src/engine/rng';
import { randn } from '../harness/random';

const be = createCpuBackend();
const plain: SampleOptions = { temperature: 1, topK: 0, topP: 1, greedy: false };

/** Sample every row of logits [N, V] with counter 0 (row n draws uniformAt(seed, stream, n)). */
async function draw(logits: number[] | Float32Array, V: number, opts: Partial<SampleOptions>, seed = 1, stream = 0): Promise<number[]> {
  const N = logits.length / V;
  const ids = be.zeros([N], 'i32');
  be.sample(be.fromArray(logits, [N, V]), ids, { ...plain, ...opts }, { seed, stream, counter: 0 });
  return Array.from(await be.read(ids));
}

/** The same row repeated n times: n independent draws from one distribution. */
const repeat = (row: number[], n: number) => Array.from({ length: n }, () => row).flat();

describe('sample oracle', () => {
  it('greedy takes the first argmax and ignores temperature', async () => {
    expect(await draw([1, 3, 3, 0, 2, -1, 5, 5], 4, { greedy: true, temperature: 0 })).toEqual([1, 2]);
  });

  it('top-k = 1 and a tiny top-p both equal greedy on random rows', async () => {
    const rng = new Rng(5);
    const V = 11;
    // Rounded logits create ties, which must go to the lower index like greedy's first argmax.
    const logits = randn(rng, 300 * V, 2).map(Math.round);
    const greedy = await draw(logits, V, { greedy: true });
    expect(await draw(logits, V, { topK: 1, temperature: 3 })).toEqual(greedy);
    expect(await draw(logits, V, { topP: 1e-6, temperature: 0.5 })).toEqual(greedy);
  });

  it('draws the first kept token whose cumulative renormalised mass exceeds u', async () => {
    const logits = [0.1, 0.2, 0.3, 0.4].map(Math.log); // p = [0.1, 0.2, 0.3, 0.4]
    const n = 400;
    const u = Array.from({ length: n }, (_, i) => uniformAt(1, 0, i));
    // Unfiltered: u < 0.1 → 0, < 0.3 → 1, < 0.6 → 2, else 3 (away from boundaries the f32 logits do not matter).
    const unfiltered = await draw(repeat(logits, n), 4, {});
    u.forEach((ui, i) => {
      const nearBoundary = [0.1, 0.3, 0.6].some((b) => Math.abs(ui - b) < 1e-5);
      if (!nearBoundary) expect(unfiltered[i]).toBe(ui < 0.1 ? 0 : ui < 0.3 ? 1 : ui < 0.6 ? 2 : 3);
    });
    // Top-2, top-p 0.41 (token 2 has mass 0.4 before it) and top-3 ∩ top-p 0.5 all keep {2, 3}: p = [3/7, 4/7].
    for (const opts of [{ topK: 2 }, { topP: 0.41 }, { topK: 3, topP: 0.5 }]) {
      expect(await draw(repeat(logits, n), 4, opts)).toEqual(u.map((ui) => (ui < 3 / 7 ? 2 : 3)));
    }
    // Top-p 0.39 keeps only the top token; 0.75 keeps {1, 2, 3} with p = [2, 3, 4]/9.
    expect(new Set(await draw(repeat(logits, n), 4, { topP: 0.39 }))).toEqual(new Set([3]));
    expect(await draw(repeat(logits, n), 4, { topP: 0.75 })).toEqual(u.map((ui) => (ui < 2 / 9 ? 1 : ui < 5 / 9 ? 2 : 3)));
  });

  it('breaks probability ties by the lower index when filtering', async () => {
    const ids = await draw(repeat([2, 2, 2, 0], 200), 4, { topK: 2 });
    expect(new Set(ids)).toEqual(new Set([0, 1]));
  });

  it('sampled frequencies match the filtered, tempered probabilities (chi-square)', async () => {
    const logits = [1.2, -0.3, 0.8, 2.0, 0.1, -1.5, 0.5];
    const n = 20_000;
    const cases: { opts: Partial<SampleOptions>; kept: number[] }[] = [
      { opts: { temperature: 1.5 }, kept: [0, 1, 2, 3, 4, 5, 6] },
      // At T = 0.8 the ranking is 3, 0, 2, 6, 4, 1, 5; top-k 5 drops 1 and 5.
      { opts: { temperature: 0.8, topK: 5 }, kept: [3, 0, 2, 6, 4] },
      // p(3) ≈ 0.525, p(0) ≈ 0.193, p(2) ≈ 0.117: the mass before token 2 is ≈ 0.718 < 0.75, before 6 ≈ 0.835.
      { opts: { temperature: 0.8, topP: 0.75 }, kept: [3, 0, 2] },
    ];
    for (const { opts, kept } of cases) {
      const T = opts.temperature ?? 1;
      const weights = logits.map((l, j) => (kept.includes(j) ? Math.exp(l / T) : 0));
      const total = weights.reduce((a, b) => a + b, 0);
      const counts = new Array(logits.length).fill(0);
      for (const id of await draw(repeat(logits, n), logits.length, opts, 99, 4)) counts[id]++;
      let chi2 = 0;
      weights.forEach((w, j) => {
        if (w === 0) expect(counts[j], `filtered token ${j} was drawn`).toBe(0);
        else chi2 += (counts[j] - (n * w) / total) ** 2 / ((n * w) / total);
      });
      // 99.99th percentile of chi-square with ≤ 6 degrees of freedom is ≈ 27.9.
      expect(chi2, JSON.stringify({ opts, counts })).toBeLessThan(27.9);
    }
  });

  it('uses counter + row as the uniform of each row', async () => {
    const logits = repeat([0, 0, 0, 0, 0, 0, 0, 0], 6); // uniform over 8 tokens: id = floor(8u)
    const ids = be.zeros([6], 'i32');
    be.sample(be.fromArray(logits, [6, 8]), ids, plain, { seed: 42, stream: 9, counter: 1000 });
    expect(Array.from(await be.read(ids))).toEqual([0, 1, 2, 3, 4, 5].map((n) => Math.floor(8 * uniformAt(42, 9, 1000 + n))));
  });

  it('uniform fills counter-based draws with the right mean and variance', async () => {
    const n = 100_000;
    const out = be.zeros([n]);
    be.uniform(out, { seed: 7, stream: 3, counter: 2 ** 32 - 10 }); // wraps around the u32 counter
    const u = Array.from(await be.read(out));
    expect(u[0]).toBe(uniformAt(7, 3, 2 ** 32 - 10));
    expect(u[10]).toBe(uniformAt(7, 3, 0));
    const mean = u.reduce((a, b) => a + b, 0) / n;
    const variance = u.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    // Standard errors: 0.29/√n ≈ 9e-4 for the mean, 0.075/√n ≈ 2.4e-4 for the variance.
    expect(Math.abs(mean - 0.5)).toBeLessThan(5e-3);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(1.5e-3);
    expect(u.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('names the op on bad shapes and options', () => {
    const logits = be.zeros([3, 4]);
    const ids = be.zeros([3], 'i32');
    const key = { seed: 0, stream: 0, counter: 0 };
    expect(() => be.sample(logits, be.zeros([3]), plain, key)).toThrow(/sample: ids has dtype f32, expected i32/);
    expect(() => be.sample(logits, be.zeros([4], 'i32'), plain, key)).toThrow(/sample: ids has shape \[4\], expected \[3\]/);
    expect(() => be.sample(be.zeros([12]), ids, plain, key)).toThrow(/sample: logits has shape \[12\]/);
    expect(() => be.sample(logits, ids, { ...plain, temperature: 0 }, key)).toThrow(/sample: temperature/);
    expect(() => be.sample(logits, ids, { ...plain, topP: 0 }, key)).toThrow(/sample: topP/);
    expect(() => be.sample(logits, ids, { ...plain, topK: 1.5 }, key)).toThrow(/sample: topK/);
    expect(() => be.uniform(be.zeros([3], 'i32'), key)).toThrow(/uniform: out has dtype i32, expected f32/);
  });
});
