/** Norm kernels, CPU oracle. (placeholder, being written) */
import type { Kernels } from '../../kernels';

export const normCpu: Pick<Kernels, 'rmsnorm' | 'rmsnormBackward'> = {
  rmsnorm() {
    throw new Error('TODO norm.rmsnorm');
  },
  rmsnormBackward() {
    throw new Error('TODO norm.rmsnormBackward');
  },
};
