/** Shape checks of the matmul family, shared by both backends. */
import type { MatmulOptions } from '../kernels';
import { ShapeError, fmtShape } from '../shape';
import { expectTensor, type Tensor } from '../tensor';

/** The most batches one dispatch covers: the batch is the z dimension of the grid (WebGPU's per-dimension limit). */
export const MAX_MATMUL_BATCH = 65535;

export interface MatmulDims {
  batch: number;
  M: number;
  N: number;
  K: number;
  transA: boolean;
  transB: boolean;
  alpha: number;
  accumulate: boolean;
  /** Elements between consecutive batches of A / B; 0 for a 2-D operand broadcast over the batch. */
  strideA: number;
  strideB: number;
}

function rank2or3(name: string, t: Tensor): void {
  if (t.shape.length !== 2 && t.shape.length !== 3) {
    throw new ShapeError(`matmul: ${name} must be 2-D or 3-D, got ${t}`);
  }
  expectTensor('matmul', name, t, t.shape);
}

/** The last two dims of a 2-D or 3-D tensor. */
const matrix = (t: Tensor): [number, number] => [t.shape[t.shape.length - 2], t.shape[t.shape.length - 1]];

export function checkMatmul(a: Tensor, b: Tensor, out: Tensor, opts: MatmulOptions = {}): MatmulDims {
  const { transA = false, transB = false, alpha = 1, accumulate = false } = opts;
  rank2or3('a', a);
  rank2or3('b', b);
  rank2or3('out', out);
  const [M, Ka] = transA ? matrix(a).reverse() : matrix(a);
  const [Kb, N] = transB ? matrix(b).reverse() : matrix(b);
  const shapes = `a${fmtShape(a.shape)}${transA ? 'ᵀ' : ''} · b${fmtShape(b.shape)}${transB ? 'ᵀ' : ''} → out${fmtShape(out.shape)}`;
  if (Ka !== Kb) throw new ShapeError(`matmul: inner dimensions differ (${Ka} vs ${Kb}) in ${shapes}`);
  const batch = out.shape.length === 3 ? out.shape[0] : 1;
  const want = out.shape.length === 3 ? [batch, M, N] : [M, N];
  const batchOk = (t: Tensor) => t.shape.length === 2 || (out.shape.length === 3 && t.shape[0] === batch);
  if (!batchOk(a) || !batchOk(b) || out.shape[out.shape.length - 2] !== M || out.shape[out.shape.length - 1] !== N) {
    throw new ShapeError(`matmul: out must be ${fmtShape(want)} in ${shapes}`);
  }
  if (batch > MAX_MATMUL_BATCH) throw new ShapeError(`matmul: batch ${batch} exceeds ${MAX_MATMUL_BATCH} in ${shapes}`);
  // The output is written while the inputs are still being read.
  if (out.storage === a.storage || out.storage === b.storage) throw new ShapeError(`matmul: out must not alias an input in ${shapes}`);
  if (!Number.isFinite(alpha)) throw new ShapeError(`matmul: alpha must be finite, got ${alpha}`);
  return {
    batch,
    M,
    N,
    K: Ka,
    transA,
    transB,
    alpha,
    accumulate,
    strideA: a.shape.length === 3 ? M * Ka : 0,
    strideB: b.shape.length === 3 ? Ka * N : 0,
  };
}
