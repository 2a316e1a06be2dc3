/** Reduce kernels, CPU oracle. x is viewed as [outer, n, inner]; element (o, j, i) sits at (o·n + j)·inner + i. */
import type { Kernels } from '../../kernels';
import { checkFactor, checkReduce, checkReduceBackward, type ReduceDims } from '../../shapes/reduce';
import type { Tensor } from '../../tensor';
import { f32, i32 } from './data';

/** out[o, i] = scale · Σ_j x[o, j, i]. */
function sumAlong(x: Tensor, out: Tensor, { outer, n, inner }: ReduceDims, scale: number): void {
  const src = f32(x), dst = f32(out);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += src[(o * n + j) * inner + i];
      dst[o * inner + i] = s * scale;
    }
  }
}

export const reduceCpu: Pick<Kernels, 'sum' | 'mean' | 'max' | 'broadcastBackward' | 'maxBackward'> = {
  sum(x, axis, out) {
    sumAlong(x, out, checkReduce('sum', x, axis, out), 1);
  },
  mean(x, axis, out) {
    const d = checkReduce('mean', x, axis, out);
    sumAlong(x, out, d, 1 / d.n);
  },
  max(x, axis, out, argmax) {
    const { outer, n, inner } = checkReduce('max', x, axis, out, argmax);
    const src = f32(x), dst = f32(out), idx = i32(argmax);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let best = 0;
        // Strict > keeps the first index of a tied maximum.
        for (let j = 1; j < n; j++) if (src[(o * n + j) * inner + i] > src[(o * n + best) * inner + i]) best = j;
        dst[o * inner + i] = src[(o * n + best) * inner + i];
        idx[o * inner + i] = best;
      }
    }
  },
  broadcastBackward(dout, axis, factor, dx) {
    const { outer, n, inner } = checkReduceBackward('broadcastBackward', dout, axis, dx);
    checkFactor(factor);
    const g = f32(dout), d = f32(dx);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < inner; i++) d[(o * n + j) * inner + i] += factor * g[o * inner + i];
      }
    }
  },
  maxBackward(dout, argmax, axis, dx) {
    const { outer, n, inner } = checkReduceBackward('maxBackward', dout, axis, dx, argmax);
    const g = f32(dout), idx = i32(argmax), d = f32(dx);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const j = idx[o * inner + i];
        if (j < 0 || j >= n) throw new RangeError(`maxBackward: argmax ${j} is outside [0, ${n})`);
        d[(o * n + j) * inner + i] += g[o * inner + i];
      }
    }
  },
};
