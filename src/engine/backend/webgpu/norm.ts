/** Norm kernels on WebGPU. (placeholder, being written) */
import type { Kernels } from '../../kernels';
import type { GpuRuntime } from './runtime';

export function normGpu(rt: GpuRuntime): Pick<Kernels, 'rmsnorm' | 'rmsnormBackward'> {
  void rt;
  return {
    rmsnorm() {
      throw new Error('TODO norm.rmsnorm');
    },
    rmsnormBackward() {
      throw new Error('TODO norm.rmsnormBackward');
    },
  };
}
