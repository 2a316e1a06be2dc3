/** Activations and their derivatives, CPU oracle. */
import type { ActivationKind, Kernels } from '../../kernels';
import { checkActivation } from '../../shapes/activation';
import { f32 } from './data';

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
/** √(2/π) and the cubic coefficient of the tanh approximation of GELU. */
const GELU_K = Math.sqrt(2 / Math.PI), GELU_A = 0.044715;

/** [act(v), act'(v)] for each kind. */
const ACTS: Record<ActivationKind, { value: (v: number) => number; slope: (v: number) => number }> = {
  relu: { value: (v) => Math.max(v, 0), slope: (v) => (v > 0 ? 1 : 0) },
  silu: {
    value: (v) => v * sigmoid(v),
    slope: (v) => sigmoid(v) * (1 + v * (1 - sigmoid(v))),
  },
  gelu: {
    value: (v) => 0.5 * v * (1 + Math.tanh(GELU_K * (v + GELU_A * v ** 3))),
    slope: (v) => {
      const t = Math.tanh(GELU_K * (v + GELU_A * v ** 3));
      return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GELU_K * (1 + 3 * GELU_A * v * v);
    },
  },
  sigmoid: { value: sigmoid, slope: (v) => sigmoid(v) * (1 - sigmoid(v)) },
};

export const activationCpu: Pick<Kernels, 'activation' | 'activationBackward'> = {
  activation(x, out, kind) {
    checkActivation('activation', kind, x, { out });
    const xs = f32(x), o = f32(out), { value } = ACTS[kind];
    for (let i = 0; i < xs.length; i++) o[i] = value(xs[i]);
  },
  activationBackward(x, dout, dx, kind) {
    checkActivation('activationBackward', kind, x, { dout, dx });
    const xs = f32(x), g = f32(dout), d = f32(dx), { slope } = ACTS[kind];
    for (let i = 0; i < xs.length; i++) d[i] += slope(xs[i]) * g[i];
  },
};
