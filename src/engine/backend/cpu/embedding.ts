/** Embedding gather and its scatter-add backward, CPU oracle. */
import type { Kernels } from '../../kernels';
import { checkEmbedding } from '../../shapes/embedding';
import { f32, i32 } from './data';

/** The CPU can afford to validate ids (the GPU cannot throw; see shaders/embedding.wgsl). */
function checkIds(op: string, ids: Int32Array, V: number): void {
  ids.forEach((id, n) => {
    if (!(id >= 0 && id < V)) throw new RangeError(`${op}: ids[${n}] = ${id} is outside the table's [0, ${V})`);
  });
}

export const embeddingCpu: Pick<Kernels, 'embedding' | 'embeddingBackward'> = {
  embedding(ids, table, out) {
    const { N, V, C } = checkEmbedding('embedding', ids, table, 'out', out);
    const id = i32(ids), t = f32(table), o = f32(out);
    checkIds('embedding', id, V);
    for (let n = 0; n < N; n++) o.set(t.subarray(id[n] * C, (id[n] + 1) * C), n * C);
  },
  embeddingBackward(ids, dout, dtable) {
    const { N, V, C } = checkEmbedding('embeddingBackward', ids, dtable, 'dout', dout);
    const id = i32(ids), g = f32(dout), d = f32(dtable);
    checkIds('embeddingBackward', id, V);
    for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) d[id[n] * C + c] += g[n * C + c];
  },
};
