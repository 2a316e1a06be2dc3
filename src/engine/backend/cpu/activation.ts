/** Activation kernels, CPU oracle. (placeholder, being written) */
import type { Kernels } from '../../kernels';

export const activationCpu: Pick<Kernels, 'activation' | 'activationBackward'> = {
  activation() {
    throw new Error('TODO activation.activation');
  },
  activationBackward() {
    throw new Error('TODO activation.activationBackward');
  },
};
