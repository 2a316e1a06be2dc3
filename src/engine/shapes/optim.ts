/** Shape and option checks of the optim family (sumSquares, clipFactor, adamw), shared by both backends. */
import type { AdamWOptions } from '../kernels';
import { ShapeError } from '../shape';
import { expectSameShape, expectTensor, type Tensor } from '../tensor';

export function checkSumSquares(x: Tensor, acc: Tensor): void {
  expectTensor('sumSquares', 'x', x, x.shape);
  expectTensor('sumSquares', 'acc', acc, [1]);
}

export function checkClipFactor(sumsq: Tensor, stats: Tensor, maxNorm: number): void {
  expectTensor('clipFactor', 'sumsq', sumsq, [1]);
  expectTensor('clipFactor', 'stats', stats, [2]);
  if (!(maxNorm > 0)) throw new ShapeError(`clipFactor: maxNorm must be > 0 (Infinity disables clipping), got ${maxNorm}`);
}

export function checkAdamW(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, clipStats: Tensor, opts: AdamWOptions): void {
  const op = 'adamw';
  expectTensor(op, 'param', param, param.shape);
  for (const [name, t] of [['grad', grad], ['m', m], ['v', v]] as const) {
    expectSameShape(op, param, t);
    expectTensor(op, name, t, param.shape);
  }
  expectTensor(op, 'clipStats', clipStats, [2]);
  // The update is in place: param, m and v are written, so no two of the four may share memory.
  const storages = [param, grad, m, v].map((t) => t.storage);
  if (new Set(storages).size !== 4) throw new ShapeError(`${op}: param, grad, m and v must be four distinct tensors`);
  const { lr, beta1, beta2, eps, weightDecay, step } = opts;
  const bad = (what: string, value: number) => new ShapeError(`${op}: ${what}, got ${value}`);
  if (!(lr >= 0 && Number.isFinite(lr))) throw bad('lr must be a finite number ≥ 0', lr);
  if (!(beta1 >= 0 && beta1 < 1)) throw bad('beta1 must be in [0, 1)', beta1);
  if (!(beta2 >= 0 && beta2 < 1)) throw bad('beta2 must be in [0, 1)', beta2);
  if (!(eps > 0 && Number.isFinite(eps))) throw bad('eps must be a finite number > 0', eps);
  if (!(weightDecay >= 0 && Number.isFinite(weightDecay))) throw bad('weightDecay must be a finite number ≥ 0', weightDecay);
  if (!(Number.isInteger(step) && step >= 1)) throw bad('step must be an integer ≥ 1', step);
}
