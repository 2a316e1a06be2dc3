/**
 * Categorical sampling and the uniform fill, CPU oracle. Sampling follows the definition literally: softmax in
 * float64, an explicit sort for the top-k / top-p filters, then an inverse-CDF draw in token-index order.
 */
import type { Kernels, SampleOptions } from '../../kernels';
import { uniformAt } from '../../rng';
import { checkSample, checkUniform } from '../../shapes/sample';
import { f32, i32 } from './data';

function firstArgmax(x: Float32Array, start: number, V: number): number {
  let best = 0;
  for (let j = 1; j < V; j++) if (x[start + j] > x[start + best]) best = j;
  return best;
}

/** Which tokens survive top-k and top-p, given the probabilities p of one row. */
function keptTokens(p: Float64Array, opts: SampleOptions): Uint8Array {
  const order = Array.from(p.keys()).sort((a, b) => p[b] - p[a] || a - b);
  const kept = new Uint8Array(p.length);
  let massBefore = 0;
  order.forEach((j, rank) => {
    const inTopK = opts.topK === 0 || rank < opts.topK;
    const inTopP = opts.topP >= 1 || massBefore < opts.topP;
    kept[j] = inTopK && inTopP ? 1 : 0;
    massBefore += p[j];
  });
  return kept;
}

/** Draw one token of a row: the first kept token (index order) whose cumulative kept mass exceeds u. */
function drawRow(x: Float32Array, start: number, V: number, opts: SampleOptions, u: number): number {
  if (opts.greedy) return firstArgmax(x, start, V);
  const z = Float64Array.from(x.subarray(start, start + V), (v) => v / opts.temperature);
  const max = z.reduce((a, b) => Math.max(a, b), -Infinity);
  const p = z.map((v) => Math.exp(v - max));
  const sum = p.reduce((a, b) => a + b, 0);
  for (let j = 0; j < V; j++) p[j] /= sum;
  const kept = keptTokens(p, opts);
  let keptMass = 0;
  for (let j = 0; j < V; j++) if (kept[j]) keptMass += p[j];
  let cumulative = 0, lastKept = 0;
  for (let j = 0; j < V; j++) {
    if (!kept[j]) continue;
    cumulative += p[j];
    lastKept = j;
    if (cumulative > u * keptMass) return j;
  }
  return lastKept; // only reached if rounding left the total a hair below u·keptMass
}

export const sampleCpu: Pick<Kernels, 'sample' | 'uniform'> = {
  sample(logits, ids, opts, key) {
    const { N, V } = checkSample(logits, ids, opts);
    const x = f32(logits), out = i32(ids);
    for (let n = 0; n < N; n++) out[n] = drawRow(x, n * V, V, opts, uniformAt(key.seed, key.stream, (key.counter + n) >>> 0));
  },
  uniform(out, key) {
    const n = checkUniform(out);
    const o = f32(out);
    for (let i = 0; i < n; i++) o[i] = uniformAt(key.seed, key.stream, (key.counter + i) >>> 0);
  },
};
