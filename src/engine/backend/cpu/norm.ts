/** RMSNorm, CPU oracle (sums in float64). */
import type { Kernels } from '../../kernels';
import { checkRmsnorm, checkRmsnormBackward } from '../../shapes/norm';
import { f32 } from './data';

export const normCpu: Pick<Kernels, 'rmsnorm' | 'rmsnormBackward'> = {
  rmsnorm(x, w, out, rstd, eps) {
    const { N, C } = checkRmsnorm('rmsnorm', x, w, out, rstd);
    const xs = f32(x), ws = f32(w), o = f32(out), r = f32(rstd);
    for (let n = 0; n < N; n++) {
      let meanSq = 0;
      for (let c = 0; c < C; c++) meanSq += xs[n * C + c] ** 2;
      meanSq /= C;
      const s = 1 / Math.sqrt(meanSq + eps);
      r[n] = s;
      for (let c = 0; c < C; c++) o[n * C + c] = xs[n * C + c] * s * ws[c];
    }
  },
  // With r = (mean(x²) + eps)^(-1/2), ∂r/∂x_k = −r³·x_k/C, so for y_c = x_c·r·w_c:
  // dx_k = r·w_k·g_k − (r³·x_k/C)·Σ_c g_c·w_c·x_c and dw_c = Σ_n g_nc·x_nc·r_n.
  rmsnormBackward(dout, x, w, rstd, dx, dw) {
    const { N, C } = checkRmsnormBackward(dout, x, w, rstd, dx, dw);
    const g = f32(dout), xs = f32(x), ws = f32(w), r = f32(rstd), d = f32(dx), dws = f32(dw);
    for (let n = 0; n < N; n++) {
      const s = r[n];
      let dot = 0;
      for (let c = 0; c < C; c++) dot += g[n * C + c] * ws[c] * xs[n * C + c];
      for (let c = 0; c < C; c++) {
        const k = n * C + c;
        d[k] += s * ws[c] * g[k] - ((s * s * s * xs[k]) / C) * dot;
      }
    }
    for (let c = 0; c < C; c++) {
      let acc = 0;
      for (let n = 0; n < N; n++) acc += g[n * C + c] * xs[n * C + c] * r[n];
      dws[c] += acc;
    }
  },
};
