/** Rope kernels, CPU oracle. (placeholder, being written) */
import type { Kernels } from '../../kernels';

export const ropeCpu: Pick<Kernels, 'rope'> = {
  rope() {
    throw new Error('TODO rope.rope');
  },
};
