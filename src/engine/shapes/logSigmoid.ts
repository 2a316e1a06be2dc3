/** Shape checks of the log-sigmoid family, shared by every backend: all tensors f32 with x's shape (any rank). */
import type { Tensor } from '../tensor';
import { checkUnary } from './elementwise';

export function checkLogSigmoid(x: Tensor, out: Tensor): void {
  checkUnary('logSigmoid', x, out);
}

export function checkLogSigmoidBackward(x: Tensor, dout: Tensor, dx: Tensor): void {
  checkUnary('logSigmoidBackward', x, dout);
  checkUnary('logSigmoidBackward', x, dx);
}
