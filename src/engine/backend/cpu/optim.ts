/** Optim kernels, CPU oracle. (placeholder, being written) */
import type { Kernels } from '../../kernels';

export const optimCpu: Pick<Kernels, 'sumSquares' | 'clipFactor' | 'adamw'> = {
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
