/** Stochastic activation (stochA) on WebGPU (shaders/stochastic.wgsl). */
import stochasticWGSL from '../../../../shaders/stochastic.wgsl?raw';
import { GRANULARITY_CODE, type Kernels, type StochasticActivation } from '../../kernels';
import { checkStochastic } from '../../shapes/stochastic';
import { gpuBuffer as buf, kernelFamily } from './kernelDef';
import { groups1d, type GpuRuntime } from './runtime';

const def = kernelFamily('Stochastic', stochasticWGSL);
const P = [['n', 'u32'], ['F', 'u32'], ['T', 'u32'], ['p', 'f32'], ['negOnly', 'u32'], ['stream', 'u32'], ['granularity', 'u32']] as const;
const forward = def('stoch_forward', P, ['read', 'read', 'read', 'write']);
const backward = def('stoch_backward', P, ['read', 'read', 'read', 'read', 'write']);

const params = (n: number, F: number, T: number, act: StochasticActivation) => ({
  n,
  F,
  T,
  p: act.p,
  negOnly: act.region === 'negOnly' ? 1 : 0,
  stream: act.stream >>> 0,
  granularity: GRANULARITY_CODE[act.granularity],
});

export function stochasticGpu(rt: GpuRuntime): Pick<Kernels, 'stochActivation' | 'stochActivationBackward'> {
  return {
    stochActivation(x, out, seeds, positions, act) {
      const { N, F, T } = checkStochastic('stochActivation', x, out, seeds, positions, act);
      rt.dispatch(forward, [x, seeds, positions, out].map(buf), params(N * F, F, T, act), groups1d(N * F));
    },
    stochActivationBackward(x, dout, dx, seeds, positions, act) {
      const { N, F, T } = checkStochastic('stochActivationBackward', x, dx, seeds, positions, act);
      rt.dispatch(backward, [x, seeds, positions, dout, dx].map(buf), params(N * F, F, T, act), groups1d(N * F));
    },
  };
}
