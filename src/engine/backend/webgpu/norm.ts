/** RMSNorm on WebGPU (shaders/norm.wgsl). */
import normWGSL from '../../../../shaders/norm.wgsl?raw';
import type { Kernels } from '../../kernels';
import { checkRmsnorm, checkRmsnormBackward } from '../../shapes/norm';
import { gpuBuffer as buf, kernelFamily } from './kernelDef';
import { groups1d, type GpuRuntime } from './runtime';

const def = kernelFamily('Norm', normWGSL);
const P = [['N', 'u32'], ['C', 'u32'], ['eps', 'f32']] as const;
const forward = def('rmsnorm_forward', P, ['read', 'read', 'write', 'write']);
const backwardDx = def('rmsnorm_backward_dx', P, ['read', 'read', 'read', 'read', 'write']);
const backwardDw = def('rmsnorm_backward_dw', P, ['read', 'read', 'read', 'write']);

export function normGpu(rt: GpuRuntime): Pick<Kernels, 'rmsnorm' | 'rmsnormBackward'> {
  return {
    rmsnorm(x, w, out, rstd, eps) {
      const { N, C } = checkRmsnorm('rmsnorm', x, w, out, rstd);
      rt.dispatch(forward, [x, w, out, rstd].map(buf), { N, C, eps }, groups1d(N, 1));
    },
    rmsnormBackward(dout, x, w, rstd, dx, dw) {
      const { N, C } = checkRmsnormBackward(dout, x, w, rstd, dx, dw);
      rt.dispatch(backwardDx, [x, dout, rstd, w, dx].map(buf), { N, C, eps: 0 }, groups1d(N, 1));
      rt.dispatch(backwardDw, [x, dout, rstd, dw].map(buf), { N, C, eps: 0 }, groups1d(C, 1));
    },
  };
}
