/** Activation kernels on WebGPU. (placeholder, being written) */
import type { Kernels } from '../../kernels';
import type { GpuRuntime } from './runtime';

export function activationGpu(rt: GpuRuntime): Pick<Kernels, 'activation' | 'activationBackward'> {
  void rt;
  return {
    activation() {
      throw new Error('TODO activation.activation');
    },
    activationBackward() {
      throw new Error('TODO activation.activationBackward');
    },
  };
}
