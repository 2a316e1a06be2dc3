/** Shape checks of the activation family, shared by both backends. */
import type { ActivationKind } from '../kernels';
import { ShapeError } from '../shape';
import { expectSameShape, expectTensor, type Tensor } from '../tensor';

export const ACTIVATION_KINDS: readonly ActivationKind[] = ['relu', 'silu', 'gelu', 'sigmoid'];

/** Validates that kind is known and that every named tensor is f32 with x's shape (any rank). */
export function checkActivation(op: string, kind: ActivationKind, x: Tensor, others: Record<string, Tensor>): void {
  if (!ACTIVATION_KINDS.includes(kind)) throw new ShapeError(`${op}: unknown activation kind '${kind}'`);
  expectTensor(op, 'x', x, x.shape);
  for (const [name, t] of Object.entries(others)) {
    expectSameShape(op, x, t);
    expectTensor(op, name, t, x.shape);
  }
}
