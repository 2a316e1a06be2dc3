/** Optim kernels on WebGPU. (placeholder, being written) */
import type { Kernels } from '../../kernels';
import type { GpuRuntime } from './runtime';

export function optimGpu(rt: GpuRuntime): Pick<Kernels, 'sumSquares' | 'clipFactor' | 'adamw'> {
  void rt;
  return {
    sumSquares() {
      throw new Error('TODO optim.sumSquares');
    },
    clipFactor() {
      throw new Error('TODO optim.clipFactor');
    },
    adamw() {
      throw new Error('TODO optim.adamw');
    },
  };
}
