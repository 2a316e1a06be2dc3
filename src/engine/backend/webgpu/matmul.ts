/** Matmul kernels on WebGPU. (placeholder, being written) */
import type { Kernels } from '../../kernels';
import type { GpuRuntime } from './runtime';

export function matmulGpu(rt: GpuRuntime): Pick<Kernels, 'matmul'> {
  void rt;
  return {
    matmul() {
      throw new Error('TODO matmul.matmul');
    },
  };
}
