/** Shape checks of the rotary position embedding, shared by both backends. */
import { ShapeError } from '../shape';
import { expectSameShape, expectTensor, type Tensor } from '../tensor';

/** Validates x, out [B,T,H,D] (D even, out ≠ x), positions i32 [B,T], theta > 0; returns the dimensions. */
export function checkRope(x: Tensor, positions: Tensor, out: Tensor, theta: number) {
  const op = 'rope';
  expectTensor(op, 'x', x, [-1, -1, -1, -1]);
  const [B, T, H, D] = x.shape;
  if (D % 2 !== 0) throw new ShapeError(`rope: head dim D of x [${x.shape.join(',')}] must be even (rotated in pairs)`);
  expectSameShape(op, x, out);
  expectTensor(op, 'out', out, x.shape);
  expectTensor(op, 'positions', positions, [B, T], 'i32');
  // Pairs are read before they are written, but with accumulate an in-place call would double x; forbid it.
  if (x === out) throw new ShapeError('rope: x and out must be different tensors');
  if (!(theta > 0)) throw new ShapeError(`rope: theta must be positive, got ${theta}`);
  return { B, T, H, D };
}
