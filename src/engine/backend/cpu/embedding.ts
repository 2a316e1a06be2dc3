/** Embedding kernels, CPU oracle. (placeholder, being written) */
import type { Kernels } from '../../kernels';

export const embeddingCpu: Pick<Kernels, 'embedding' | 'embeddingBackward'> = {
  embedding() {
    throw new Error('TODO embedding.embedding');
  },
  embeddingBackward() {
    throw new Error('TODO embedding.embeddingBackward');
  },
};
