/** Checks of the memory operations every backend provides. */
import { ShapeError } from '../shape';
import type { Tensor } from '../tensor';

export function checkCopyInto(src: Tensor, dst: Tensor, offset: number): void {
  if (src.dtype !== dst.dtype) throw new ShapeError(`copyInto: dtype ${src.dtype} of ${src} does not match ${dst}`);
  if (!Number.isInteger(offset) || offset < 0 || offset + src.numel > dst.numel) {
    throw new ShapeError(`copyInto: ${src.numel} elements at offset ${offset} do not fit ${dst} (${dst.numel} elements)`);
  }
}
