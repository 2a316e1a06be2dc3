/** Differentiable RMSNorm, activations and the embedding lookup. */
import type { Graph } from '../autograd';
import type { ActivationKind, StochasticActivation } from '../kernels';
import type { Tensor } from '../tensor';

/** RMSNorm over the last axis of x [N, C] with weight [C]. */
export function rmsnorm(g: Graph, x: Tensor, w: Tensor, eps = 1e-5): Tensor {
  const rows = x.numel / x.shape[x.shape.length - 1];
  const out = g.alloc(x.shape, 'f32', 'rmsnorm');
  const rstd = g.alloc([rows], 'f32', 'rmsnorm.rstd');
  g.be.rmsnorm(x, w, out, rstd, eps);
  g.record([x, w], out, (gradOf) => {
    const dx = gradOf(x) ?? g.alloc(x.shape, 'f32', 'rmsnorm.dxUnused');
    const dw = gradOf(w) ?? g.alloc(w.shape, 'f32', 'rmsnorm.dwUnused');
    g.be.rmsnormBackward(gradOf(out)!, x, w, rstd, dx, dw);
  });
  return out;
}

export function activation(g: Graph, x: Tensor, kind: ActivationKind): Tensor {
  const out = g.alloc(x.shape, 'f32', kind);
  g.be.activation(x, out, kind);
  g.record([x], out, (gradOf) => g.be.activationBackward(x, gradOf(out)!, gradOf(x)!, kind));
  return out;
}

/** Rows of `table` [V, C] picked by ids (i32 [N]) → [N, C]. */
export function embedding(g: Graph, ids: Tensor, table: Tensor): Tensor {
  const out = g.alloc([ids.numel, table.shape[1]], 'f32', 'embedding');
  g.be.embedding(ids, table, out);
  g.record([table], out, (gradOf) => g.be.embeddingBackward(ids, gradOf(out)!, gradOf(table)!));
  return out;
}

/** stochA(p) over x [B·T, F] with draws keyed by (seeds[b], act.stream, position, unit); see kernels.ts. */
export function stochActivation(g: Graph, x: Tensor, seeds: Tensor, positions: Tensor, act: StochasticActivation): Tensor {
  const out = g.alloc(x.shape, 'f32', 'stochA');
  g.be.stochActivation(x, out, seeds, positions, act);
  g.record([x], out, (gradOf) => g.be.stochActivationBackward(x, gradOf(out)!, gradOf(x)!, seeds, positions, act));
  return out;
}
