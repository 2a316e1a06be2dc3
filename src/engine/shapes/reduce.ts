/** Shape checks of the reduce family, shared by both backends. */
import { ShapeError, fmtShape, numel } from '../shape';
import { expectDistinct, expectTensor, type Tensor } from '../tensor';

/** x viewed as [outer, n, inner] around the reduced axis; the reduced tensor is [outer, inner]. */
export interface ReduceDims {
  outer: number;
  n: number;
  inner: number;
}

/** `x`'s shape without `axis`: the shape of a reduction of x. */
function reducedShape(op: string, x: Tensor, axis: number): number[] {
  if (!Number.isInteger(axis) || axis < 0 || axis >= x.shape.length) {
    throw new ShapeError(`${op}: axis ${axis} is out of range for ${x}`);
  }
  return x.shape.filter((_, i) => i !== axis);
}

function dims(x: Tensor, axis: number): ReduceDims {
  return { outer: numel(x.shape.slice(0, axis)), n: x.shape[axis], inner: numel(x.shape.slice(axis + 1)) };
}

/** sum/mean/max: out (and argmax, i32) have x's shape without `axis`. mean and max need a non-empty axis. */
export function checkReduce(op: string, x: Tensor, axis: number, out: Tensor, argmax?: Tensor): ReduceDims {
  expectTensor(op, 'x', x, x.shape);
  const shape = reducedShape(op, x, axis);
  expectTensor(op, 'out', out, shape);
  expectDistinct(op, out, [x]);
  if (argmax) expectTensor(op, 'argmax', argmax, shape, 'i32');
  if (op !== 'sum' && x.shape[axis] === 0) throw new ShapeError(`${op}: cannot reduce the empty axis ${axis} of ${x}`);
  return dims(x, axis);
}

/** broadcastBackward/maxBackward: dout (and argmax) have dx's shape without `axis`. */
export function checkReduceBackward(op: string, dout: Tensor, axis: number, dx: Tensor, argmax?: Tensor): ReduceDims {
  expectTensor(op, 'dx', dx, dx.shape);
  const shape = reducedShape(op, dx, axis);
  if (dout.shape.length !== shape.length || dout.shape.some((d, i) => d !== shape[i])) {
    throw new ShapeError(`${op}: dout ${fmtShape(dout.shape)} must be dx ${fmtShape(dx.shape)} without axis ${axis}`);
  }
  expectTensor(op, 'dout', dout, shape);
  expectDistinct(op, dx, [dout]);
  if (argmax) expectTensor(op, 'argmax', argmax, shape, 'i32');
  return dims(dx, axis);
}

export function checkFactor(factor: number): void {
  if (!Number.isFinite(factor)) throw new ShapeError(`broadcastBackward: factor must be finite, got ${factor}`);
}
