/**
 * Embedding gather and scatter-add on WebGPU (shaders/embedding.wgsl). Ids are not validated here (that would
 * need a read-back): out-of-range ids give zero rows in the forward and no gradient in the backward.
 */
import embeddingWGSL from '../../../../shaders/embedding.wgsl?raw';
import type { Kernels } from '../../kernels';
import { checkEmbedding } from '../../shapes/embedding';
import { gpuBuffer as buf, kernelFamily } from './kernelDef';
import { groups1d, type GpuRuntime } from './runtime';

const def = kernelFamily('Embedding', embeddingWGSL);
const P = [['N', 'u32'], ['V', 'u32'], ['C', 'u32']] as const;
const forward = def('embedding_forward', P, ['read', 'read', 'write']);
const backward = def('embedding_backward', P, ['read', 'read', 'write']);

export function embeddingGpu(rt: GpuRuntime): Pick<Kernels, 'embedding' | 'embeddingBackward'> {
  return {
    embedding(ids, table, out) {
      const { N, V, C } = checkEmbedding('embedding', ids, table, 'out', out);
      rt.dispatch(forward, [ids, table, out].map(buf), { N, V, C }, groups1d(N * C));
    },
    embeddingBackward(ids, dout, dtable) {
      const { N, V, C } = checkEmbedding('embeddingBackward', ids, dtable, 'dout', dout);
      rt.dispatch(backward, [ids, dout, dtable].map(buf), { N, V, C }, groups1d(V * C));
    },
  };
}
