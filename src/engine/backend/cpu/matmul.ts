/** Matmul kernels, CPU oracle. (placeholder, being written) */
import type { Kernels } from '../../kernels';

export const matmulCpu: Pick<Kernels, 'matmul'> = {
  matmul() {
    throw new Error('TODO matmul.matmul');
  },
};
