/**
 * Kernels the wasm backend keeps in JavaScript, rewritten so they do no per-row allocation or repeated
 * transcendental work: RoPE from a cached angle table, token log-probs through one reused scratch row, and
 * unfiltered sampling without the oracle's sort. Each computes exactly the oracle's float64 arithmetic in the
 * oracle's order, so results are bit-identical to it (sampling draws the same tokens).
 */
import type { Kernels } from '../../kernels';
import { uniformAt } from '../../rng';
import { checkRope } from '../../shapes/rope';
import { checkSample } from '../../shapes/sample';
import { checkTokenLogprobs, checkTokenLogprobsBackward } from '../../shapes/logprob';
import type { Tensor } from '../../tensor';
import { cpuKernels } from '../cpu/kernels';

type Data = (t: Tensor) => Float32Array | Int32Array;

export function hostKernels(data: Data): Pick<Kernels, 'rope' | 'sample' | 'tokenLogprobs' | 'tokenLogprobsBackward'> {
  const f32 = data as (t: Tensor) => Float32Array;
  const i32 = data as (t: Tensor) => Int32Array;
  const angles = new RopeTable();
  const row = new LogSoftmaxRow();
  return {
    rope(x, positions, out, theta, inverse, accumulate) {
      const { B, T, H, D } = checkRope(x, positions, out, theta);
      const xs = f32(x), pos = i32(positions), o = f32(out);
      const half = D / 2;
      const table = angles.upTo(theta, D, pos);
      if (!table) return cpuKernels.rope(x, positions, out, theta, inverse, accumulate);
      const { cos, sin } = table;
      // The inverse rotation is by −angle: cos is even and sin odd, exactly, so the table serves both.
      const sign = inverse ? -1 : 1;
      for (let row = 0; row < B * T * H; row++) {
        // Row (b,t,h) of x: its pairs turn by the angles of position positions[b,t].
        const at = pos[Math.floor(row / H)] * half, base = row * D;
        for (let i = 0; i < half; i++) {
          const c = cos[at + i], s = sign * sin[at + i];
          const k = base + 2 * i, a = xs[k], b = xs[k + 1];
          const ra = a * c - b * s, rb = a * s + b * c;
          o[k] = accumulate ? o[k] + ra : ra;
          o[k + 1] = accumulate ? o[k + 1] + rb : rb;
        }
      }
    },

    sample(logits, ids, opts, key) {
      if (opts.greedy || opts.topK !== 0 || opts.topP < 1) return cpuKernels.sample(logits, ids, opts, key);
      const { N, V } = checkSample(logits, ids, opts);
      const x = f32(logits), out = i32(ids);
      for (let n = 0; n < N; n++) {
        const u = uniformAt(key.seed, key.stream, (key.counter + n) >>> 0);
        out[n] = row.draw(x, n * V, V, opts.temperature, u);
      }
    },

    tokenLogprobs(logits, targets, logp, entropy, temperature) {
      const { N, V } = checkTokenLogprobs(logits, targets, logp, entropy, temperature);
      const x = f32(logits), t = i32(targets), lp = f32(logp), ent = entropy ? f32(entropy) : null;
      for (let n = 0; n < N; n++) {
        const z = row.logSoftmax(x, n * V, V, temperature);
        lp[n] = z[target(t, n, V, 'tokenLogprobs')];
        if (ent) ent[n] = row.entropy;
      }
    },

    tokenLogprobsBackward(logits, targets, dlogp, dentropy, dlogits, temperature) {
      const { N, V } = checkTokenLogprobsBackward(logits, targets, dlogp, dentropy, dlogits, temperature);
      const x = f32(logits), t = i32(targets), gl = f32(dlogp), gh = dentropy ? f32(dentropy) : null, d = f32(dlogits);
      for (let n = 0; n < N; n++) {
        const z = row.logSoftmax(x, n * V, V, temperature);
        const k = target(t, n, V, 'tokenLogprobsBackward');
        const gH = gh ? gh[n] : 0, H = row.entropy;
        for (let j = 0; j < V; j++) {
          const p = Math.exp(z[j]);
          // ∂logp_k/∂z_j = δ_jk − p_j;  ∂H/∂z_j = −p_j (log p_j + H);  z = logits / T.
          d[n * V + j] += (gl[n] * ((j === k ? 1 : 0) - p) - gH * p * (z[j] + H)) / temperature;
        }
      }
    },
  };
}

function target(t: Int32Array, n: number, V: number, op: string): number {
  const k = t[n];
  if (!(k >= 0 && k < V)) throw new RangeError(`${op}: targets[${n}] = ${k} is outside [0, ${V})`);
  return k;
}

/** cos/sin of pos·theta^(−2i/D) for every position up to the largest seen, per (theta, D). */
class RopeTable {
  private key = '';
  private positions = 0;
  cos = new Float64Array(0);
  sin = new Float64Array(0);

  /** The table covering every position in `pos`, or null when one is negative (left to the oracle). */
  upTo(theta: number, D: number, pos: Int32Array): { cos: Float64Array; sin: Float64Array } | null {
    let need = 0;
    for (const p of pos) {
      if (p < 0) return null;
      need = Math.max(need, p + 1);
    }
    const key = `${theta}/${D}`;
    if (key !== this.key || need > this.positions) this.build(key, theta, D, Math.max(need, 2 * this.positions));
    return this;
  }

  private build(key: string, theta: number, D: number, positions: number): void {
    const half = D / 2;
    this.cos = new Float64Array(positions * half);
    this.sin = new Float64Array(positions * half);
    for (let p = 0; p < positions; p++) {
      for (let i = 0; i < half; i++) {
        const angle = p * theta ** ((-2 * i) / D);
        this.cos[p * half + i] = Math.cos(angle);
        this.sin[p * half + i] = Math.sin(angle);
      }
    }
    this.key = key;
    this.positions = positions;
  }
}

/** One row's log-softmax in float64, in a buffer reused across rows (the oracle allocates one per row). */
class LogSoftmaxRow {
  private z = new Float64Array(0);
  private max = -Infinity;
  /** Entropy of the row last passed to logSoftmax. */
  entropy = 0;

  /** log_softmax(x[start..start+V) / temperature); valid until the next call. */
  logSoftmax(x: Float32Array, start: number, V: number, temperature: number): Float64Array {
    const z = this.scaled(x, start, V, temperature);
    const logZ = this.max + Math.log(this.sumExp(z, V));
    let entropy = 0;
    for (let j = 0; j < V; j++) {
      const lp = (z[j] -= logZ);
      entropy -= Math.exp(lp) * lp;
    }
    this.entropy = entropy;
    return z;
  }

  /** Inverse-CDF draw over the whole softmax (no top-k/top-p): first token whose cumulative mass exceeds u·total. */
  draw(x: Float32Array, start: number, V: number, temperature: number, u: number): number {
    const p = this.scaled(x, start, V, temperature);
    const sum = this.sumExp(p, V, true);
    let total = 0;
    for (let j = 0; j < V; j++) total += p[j] /= sum;
    let cumulative = 0;
    for (let j = 0; j < V; j++) {
      cumulative += p[j];
      if (cumulative > u * total) return j;
    }
    return V - 1; // only reached if rounding left the total a hair below u·total
  }

  /** Σ e^(z − max) in index order; with `store`, z[j] becomes e^(z[j] − max). */
  private sumExp(z: Float64Array, V: number, store = false): number {
    let sum = 0;
    for (let j = 0; j < V; j++) {
      const e = Math.exp(z[j] - this.max);
      if (store) z[j] = e;
      sum += e;
    }
    return sum;
  }

  /** z = x[start..start+V) / temperature into the scratch row; `max` becomes its maximum. */
  private scaled(x: Float32Array, start: number, V: number, temperature: number): Float64Array {
    if (this.z.length < V) this.z = new Float64Array(V);
    const z = this.z;
    let max = -Infinity;
    for (let j = 0; j < V; j++) max = Math.max(max, (z[j] = x[start + j] / temperature));
    this.max = max;
    return z;
  }
}
