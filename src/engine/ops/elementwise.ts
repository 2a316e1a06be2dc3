/** Differentiable elementwise ops and reductions over the Graph tape. */
import type { Graph } from '../autograd';
import type { Tensor } from '../tensor';

export function add(g: Graph, a: Tensor, b: Tensor): Tensor {
  const out = g.alloc(a.shape, 'f32', 'add');
  g.be.add(a, b, out);
  g.record([a, b], out, (gradOf) => {
    const dout = gradOf(out)!;
    const da = gradOf(a), db = gradOf(b);
    if (da) g.be.axpy(dout, 1, da);
    if (db) g.be.axpy(dout, 1, db);
  });
  return out;
}

export function mul(g: Graph, a: Tensor, b: Tensor): Tensor {
  const out = g.alloc(a.shape, 'f32', 'mul');
  g.be.mul(a, b, out);
  g.record([a, b], out, (gradOf) => g.be.mulBackward(gradOf(out)!, a, b, gradOf(a), gradOf(b)));
  return out;
}

export function scale(g: Graph, a: Tensor, s: number): Tensor {
  const out = g.alloc(a.shape, 'f32', 'scale');
  g.be.scale(a, s, out);
  g.record([a], out, (gradOf) => g.be.axpy(gradOf(out)!, s, gradOf(a)!));
  return out;
}

function reducedShape(x: Tensor, axis: number): number[] {
  return x.shape.filter((_, i) => i !== axis);
}

/** Sum over one axis (the axis is removed from the shape). */
export function sum(g: Graph, x: Tensor, axis: number): Tensor {
  const out = g.alloc(reducedShape(x, axis), 'f32', 'sum');
  g.be.sum(x, axis, out);
  g.record([x], out, (gradOf) => g.be.broadcastBackward(gradOf(out)!, axis, 1, gradOf(x)!));
  return out;
}

/** Mean over one axis (the axis is removed from the shape). */
export function mean(g: Graph, x: Tensor, axis: number): Tensor {
  const out = g.alloc(reducedShape(x, axis), 'f32', 'mean');
  g.be.mean(x, axis, out);
  g.record([x], out, (gradOf) => g.be.broadcastBackward(gradOf(out)!, axis, 1 / x.shape[axis], gradOf(x)!));
  return out;
}
