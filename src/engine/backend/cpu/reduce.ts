/** Reduce kernels, CPU oracle. (placeholder, being written) */
import type { Kernels } from '../../kernels';

export const reduceCpu: Pick<Kernels, 'sum' | 'mean' | 'max' | 'broadcastBackward' | 'maxBackward'> = {
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
