/** Embedding kernels on WebGPU. (placeholder, being written) */
import type { Kernels } from '../../kernels';
import type { GpuRuntime } from './runtime';

export function embeddingGpu(rt: GpuRuntime): Pick<Kernels, 'embedding' | 'embeddingBackward'> {
  void rt;
  return {
    embedding() {
      throw new Error('TODO embedding.embedding');
    },
    embeddingBackward() {
      throw new Error('TODO embedding.embeddingBackward');
    },
  };
}
