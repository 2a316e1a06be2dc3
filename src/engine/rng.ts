/**
 * Counter-based random numbers: uniform(seed, stream, counter) is a pure function, so the CPU oracle and the
 * WGSL kernels (shaders/rng.wgsl) produce bit-identical draws, and any draw can be replayed later (e.g. the
 * stochastic-activation masks of a rollout when the trainer recomputes its log-probs).
 *
 * The mixer is a 32-bit integer hash (xor-shift-multiply, constants of the "lowbias32" family) applied to
 * the three key words in turn. Only 32-bit wrapping multiplies, xors and shifts: Math.imul matches WGSL u32 `*`.
 */
import { SPLIT_COUNTER } from './streams';

export function hash32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Hash of the key (seed, stream, counter), all taken as u32. */
export function hashKey(seed: number, stream: number, counter: number): number {
  let h = hash32((seed ^ 0x9e3779b9) >>> 0);
  h = hash32((h ^ stream) >>> 0);
  h = hash32((h ^ counter) >>> 0);
  return h;
}

/** Uniform in [0, 1) with 24 random bits: exactly representable in f32, so CPU and GPU agree bit for bit. */
export function uniformAt(seed: number, stream: number, counter: number): number {
  return (hashKey(seed, stream, counter) >>> 8) * (1 / 16777216);
}

/**
 * A seeded stream of random numbers for CPU-side work (weight init, task generation, shuffles). Each object
 * owns its counter; no global state is touched. `split` derives an independent stream for a sub-system.
 */
export class Rng {
  private counter = 0;
  constructor(
    readonly seed: number,
    readonly stream = 0,
  ) {}

  uniform(): number {
    return uniformAt(this.seed, this.stream, this.counter++);
  }

  /** How many uniforms have been drawn: with seed and stream, the whole state (for resuming a run exactly). */
  get position(): number {
    return this.counter;
  }

  seek(position: number): void {
    this.counter = position;
  }

  /** Standard normal via Box-Muller (uses two uniforms; 1-u keeps the log finite). */
  normal(): number {
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** A uniformly random permutation of 0..n−1 (Fisher–Yates, n − 1 draws). */
  permutation(n: number): number[] {
    const out = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  split(stream: number): Rng {
    return new Rng(hashKey(this.seed, this.stream, SPLIT_COUNTER + stream), stream);
  }

  fillNormal(out: Float32Array, std = 1): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal() * std;
    return out;
  }
}
