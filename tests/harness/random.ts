/** Seeded random test inputs (the engine's counter RNG, so CPU and GPU runs see identical data). */
import { Rng } from '../../src/engine/rng';

export function randn(rng: Rng, n: number, std = 1): Float32Array {
  return rng.fillNormal(new Float32Array(n), std);
}

export function randint(rng: Rng, n: number, hi: number): Int32Array {
  return Int32Array.from({ length: n }, () => rng.int(hi));
}

export function uniform(rng: Rng, n: number, lo = 0, hi = 1): Float32Array {
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());
}
