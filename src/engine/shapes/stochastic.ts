/** Shape checks of the stochastic activation, shared by both backends. */
import { GRANULARITY_CODE, type StochasticActivation } from '../kernels';
import { ShapeError } from '../shape';
import { expectSameShape, expectTensor, type Tensor } from '../tensor';

/** Validates and returns the row layout: N rows of F units, T rows per sequence. */
export function checkStochastic(op: string, x: Tensor, out: Tensor, seeds: Tensor, positions: Tensor, act: StochasticActivation) {
  expectTensor(op, 'x', x, [-1, -1]);
  expectSameShape(op, x, out);
  expectTensor(op, 'out', out, x.shape);
  const [N, F] = x.shape;
  expectTensor(op, 'seeds', seeds, [-1], 'i32');
  if (positions.dtype !== 'i32' || positions.numel !== N) {
    throw new ShapeError(`${op}: positions ${positions} must be i32 with one entry per row of x [${N},${F}]`);
  }
  const B = seeds.numel;
  if (B === 0 || N % B !== 0) throw new ShapeError(`${op}: ${N} rows do not split into ${B} sequences`);
  if (!(act.p >= 0 && act.p <= 1)) throw new ShapeError(`${op}: p must be in [0, 1], got ${act.p}`);
  if (!(act.granularity in GRANULARITY_CODE)) throw new ShapeError(`${op}: unknown granularity ${String(act.granularity)}`);
  return { N, F, T: N / B };
}
