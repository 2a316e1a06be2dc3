/** Rope kernels on WebGPU. (placeholder, being written) */
import type { Kernels } from '../../kernels';
import type { GpuRuntime } from './runtime';

export function ropeGpu(rt: GpuRuntime): Pick<Kernels, 'rope'> {
  void rt;
  return {
    rope() {
      throw new Error('TODO rope.rope');
    },
  };
}
