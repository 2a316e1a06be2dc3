/** Differentiable matmul and the Linear layer (PyTorch [out, in] weight layout). */
import type { Graph } from '../autograd';
import type { MatmulOptions } from '../kernels';
import { ShapeError, fmtShape } from '../shape';
import type { Tensor } from '../tensor';

/**
 * out = alpha·op(A)·op(B) for operands of equal rank (2-D or batched 3-D). The backward reuses the matmul
 * kernel with transposes and accumulation: for C = op(A)·op(B), d op(A) = dC·op(B)ᵀ and d op(B) = op(A)ᵀ·dC,
 * then each is transposed back to A's or B's storage layout.
 */
export function matmul(g: Graph, a: Tensor, b: Tensor, opts: Omit<MatmulOptions, 'accumulate'> = {}): Tensor {
  if (a.shape.length !== b.shape.length) {
    throw new ShapeError(`matmul (autograd): operands must have equal rank, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  const { transA = false, transB = false, alpha = 1 } = opts;
  const r = a.shape.length;
  const m = transA ? a.shape[r - 1] : a.shape[r - 2];
  const n = transB ? b.shape[r - 2] : b.shape[r - 1];
  const out = g.alloc([...a.shape.slice(0, r - 2), m, n], 'f32', 'matmul');
  g.be.matmul(a, b, out, { transA, transB, alpha });
  g.record([a, b], out, (gradOf) => {
    const dc = gradOf(out)!;
    const da = gradOf(a), db = gradOf(b);
    const acc = { accumulate: true, alpha };
    if (da) {
      if (!transA) g.be.matmul(dc, b, da, { ...acc, transB: !transB });
      else g.be.matmul(b, dc, da, { ...acc, transA: transB, transB: true });
    }
    if (db) {
      if (!transB) g.be.matmul(a, dc, db, { ...acc, transA: !transA });
      else g.be.matmul(dc, a, db, { ...acc, transA: true, transB: transA });
    }
  });
  return out;
}

/** y = x·Wᵀ with x [N, in] and W [out, in]. */
export function linear(g: Graph, x: Tensor, w: Tensor): Tensor {
  return matmul(g, x, w, { transB: true });
}
