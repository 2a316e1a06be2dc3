/** Shape checks of the norm family, shared by both backends. */
import { expectSameShape, expectTensor, type Tensor } from '../tensor';

/** Validates x [N,C], w [C], out [N,C], rstd [N] and returns the row layout. */
export function checkRmsnorm(op: string, x: Tensor, w: Tensor, out: Tensor, rstd: Tensor): { N: number; C: number } {
  expectTensor(op, 'x', x, [-1, -1]);
  const [N, C] = x.shape;
  expectTensor(op, 'w', w, [C]);
  expectSameShape(op, x, out);
  expectTensor(op, 'out', out, [N, C]);
  expectTensor(op, 'rstd', rstd, [N]);
  return { N, C };
}

export function checkRmsnormBackward(dout: Tensor, x: Tensor, w: Tensor, rstd: Tensor, dx: Tensor, dw: Tensor) {
  const op = 'rmsnormBackward';
  const dims = checkRmsnorm(op, x, w, dout, rstd);
  expectSameShape(op, x, dx);
  expectTensor(op, 'dx', dx, x.shape);
  expectTensor(op, 'dw', dw, w.shape);
  return dims;
}
