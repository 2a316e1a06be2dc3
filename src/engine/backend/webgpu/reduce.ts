/** Reduce kernels on WebGPU. (placeholder, being written) */
import type { Kernels } from '../../kernels';
import type { GpuRuntime } from './runtime';

export function reduceGpu(rt: GpuRuntime): Pick<Kernels, 'sum' | 'mean' | 'max' | 'broadcastBackward' | 'maxBackward'> {
  void rt;
  return {
    sum() {
      throw new Error('TODO reduce.sum');
    },
    mean() {
      throw new Error('TODO reduce.mean');
    },
    max() {
      throw new Error('TODO reduce.max');
    },
    broadcastBackward() {
      throw new Error('TODO reduce.broadcastBackward');
    },
    maxBackward() {
      throw new Error('TODO reduce.maxBackward');
    },
  };
}
