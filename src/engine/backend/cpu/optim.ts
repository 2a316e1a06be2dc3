/** Optim kernels, CPU oracle: global squared norm, clip factor and AdamW, in f64 arithmetic stored as f32. */
import type { Kernels } from '../../kernels';
import { checkAdamW, checkClipFactor, checkSumSquares } from '../../shapes/optim';
import { f32 } from './data';

export const optimCpu: Pick<Kernels, 'sumSquares' | 'clipFactor' | 'adamw'> = {
  sumSquares(x, acc) {
    checkSumSquares(x, acc);
    let s = 0;
    for (const xi of f32(x)) s += xi * xi;
    f32(acc)[0] += s;
  },
  clipFactor(sumsq, stats, maxNorm) {
    checkClipFactor(sumsq, stats, maxNorm);
    const norm = Math.sqrt(f32(sumsq)[0]);
    const out = f32(stats);
    out[0] = norm;
    out[1] = Math.min(1, maxNorm / (norm + 1e-6));
  },
  adamw(param, grad, m, v, clipStats, opts) {
    checkAdamW(param, grad, m, v, clipStats, opts);
    const { lr, beta1, beta2, eps, weightDecay, step } = opts;
    const p = f32(param), g = f32(grad), m1 = f32(m), m2 = f32(v);
    const factor = f32(clipStats)[1];
    const correction1 = 1 - beta1 ** step;
    const correction2 = 1 - beta2 ** step;
    for (let i = 0; i < p.length; i++) {
      const gi = factor * g[i];
      m1[i] = beta1 * m1[i] + (1 - beta1) * gi;
      m2[i] = beta2 * m2[i] + (1 - beta2) * gi * gi;
      const mHat = m1[i] / correction1;
      const vHat = m2[i] / correction2;
      // Decoupled weight decay (Loshchilov & Hutter): shrink by the pre-update weight, not through the gradient.
      p[i] -= lr * (mHat / (Math.sqrt(vHat) + eps) + weightDecay * p[i]);
    }
  },
};
