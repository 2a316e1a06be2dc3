/** Sample kernels on WebGPU. (placeholder, being written) */
import type { Kernels } from '../../kernels';
import type { GpuRuntime } from './runtime';

export function sampleGpu(rt: GpuRuntime): Pick<Kernels, 'sample' | 'uniform'> {
  void rt;
  return {
    sample() {
      throw new Error('TODO sample.sample');
    },
    uniform() {
      throw new Error('TODO sample.uniform');
    },
  };
}
