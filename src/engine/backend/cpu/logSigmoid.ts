/** log σ(x) and its derivative σ(−x), CPU oracle (float64 maths, rounded once to f32 on store). */
import type { Kernels } from '../../kernels';
import { checkLogSigmoid, checkLogSigmoidBackward } from '../../shapes/logSigmoid';
import { f32 } from './data';

/** log σ(v) = −log(1 + e^(−v)); split at 0 so the exponent is never positive (no overflow at either end). */
const logSigmoid = (v: number) => Math.min(v, 0) - Math.log1p(Math.exp(-Math.abs(v)));

/** σ(−v) = 1 / (1 + e^v), written with e^(−|v|) for the same reason. */
function sigmoidOfNegative(v: number): number {
  const e = Math.exp(-Math.abs(v));
  return v > 0 ? e / (1 + e) : 1 / (1 + e);
}

export const logSigmoidCpu: Pick<Kernels, 'logSigmoid' | 'logSigmoidBackward'> = {
  logSigmoid(x, out) {
    checkLogSigmoid(x, out);
    const xs = f32(x), o = f32(out);
    for (let i = 0; i < xs.length; i++) o[i] = logSigmoid(xs[i]);
  },
  logSigmoidBackward(x, dout, dx) {
    checkLogSigmoidBackward(x, dout, dx);
    const xs = f32(x), g = f32(dout), d = f32(dx);
    for (let i = 0; i < xs.length; i++) d[i] += g[i] * sigmoidOfNegative(xs[i]);
  },
};
