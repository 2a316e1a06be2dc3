/** Sample kernels, CPU oracle. (placeholder, being written) */
import type { Kernels } from '../../kernels';

export const sampleCpu: Pick<Kernels, 'sample' | 'uniform'> = {
  sample() {
    throw new Error('TODO sample.sample');
  },
  uniform() {
    throw new Error('TODO sample.uniform');
  },
};
