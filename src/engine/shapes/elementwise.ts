/** Shape checks of the elementwise family, shared by both backends. */
import { expectSameShape, expectTensor, type Tensor } from '../tensor';

export function checkBinary(op: string, a: Tensor, b: Tensor, out: Tensor): void {
  expectTensor(op, 'a', a, a.shape);
  expectSameShape(op, a, b);
  expectSameShape(op, a, out);
  expectTensor(op, 'out', out, a.shape);
  expectTensor(op, 'b', b, a.shape);
}

export function checkUnary(op: string, x: Tensor, out: Tensor): void {
  expectTensor(op, 'x', x, x.shape);
  expectSameShape(op, x, out);
  expectTensor(op, 'out', out, x.shape);
}

export function checkMulBackward(dout: Tensor, a: Tensor, b: Tensor, da: Tensor | null, db: Tensor | null): void {
  checkBinary('mulBackward', a, b, dout);
  if (da) checkUnary('mulBackward', a, da);
  if (db) checkUnary('mulBackward', b, db);
}

export function checkAxpy(src: Tensor, dst: Tensor): void {
  checkUnary('axpy', src, dst);
  if (src === dst) throw new Error('axpy: src and dst must be different tensors');
}
