/** Shape checks of the embedding family, shared by both backends. */
import { expectTensor, type Tensor } from '../tensor';

/** Validates ids i32 [N], table [V,C] and the gathered rows [N,C] (`out` of the forward, `dout` of the backward). */
export function checkEmbedding(op: string, ids: Tensor, table: Tensor, rowsName: string, rows: Tensor) {
  expectTensor(op, 'ids', ids, [-1], 'i32');
  expectTensor(op, 'table', table, [-1, -1]);
  const N = ids.shape[0];
  const [V, C] = table.shape;
  expectTensor(op, rowsName, rows, [N, C]);
  return { N, V, C };
}
