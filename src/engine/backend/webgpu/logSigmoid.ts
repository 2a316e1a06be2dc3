/** log σ(x) and its derivative on WebGPU (shaders/log_sigmoid.wgsl). */
import logSigmoidWGSL from '../../../../shaders/log_sigmoid.wgsl?raw';
import type { Kernels } from '../../kernels';
import { checkLogSigmoid, checkLogSigmoidBackward } from '../../shapes/logSigmoid';
import { gpuBuffer as buf, kernelFamily } from './kernelDef';
import { groups1d, type GpuRuntime } from './runtime';

const def = kernelFamily('LogSigmoid', logSigmoidWGSL);
const P = [['n', 'u32']] as const;
const forward = def('log_sigmoid_forward', P, ['read', 'write']);
const backward = def('log_sigmoid_backward', P, ['read', 'read', 'write']);

export function logSigmoidGpu(rt: GpuRuntime): Pick<Kernels, 'logSigmoid' | 'logSigmoidBackward'> {
  return {
    logSigmoid(x, out) {
      checkLogSigmoid(x, out);
      rt.dispatch(forward, [x, out].map(buf), { n: x.numel }, groups1d(x.numel));
    },
    logSigmoidBackward(x, dout, dx) {
      checkLogSigmoidBackward(x, dout, dx);
      rt.dispatch(backward, [x, dout, dx].map(buf), { n: x.numel }, groups1d(x.numel));
    },
  };
}
