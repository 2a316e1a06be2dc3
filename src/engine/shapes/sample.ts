/** Shape and option checks of the sampling kernels (`sample`, `uniform`), shared by both backends. */
import type { SampleOptions } from '../kernels';
import { ShapeError } from '../shape';
import { expectTensor, type Tensor } from '../tensor';

export function checkSample(logits: Tensor, ids: Tensor, opts: SampleOptions): { N: number; V: number } {
  expectTensor('sample', 'logits', logits, [-1, -1]);
  const [N, V] = logits.shape;
  if (V === 0) throw new ShapeError(`sample: logits ${logits} has an empty vocabulary axis`);
  expectTensor('sample', 'ids', ids, [N], 'i32');
  if (!opts.greedy && !(opts.temperature > 0 && Number.isFinite(opts.temperature))) {
    throw new ShapeError(`sample: temperature must be a positive finite number, got ${opts.temperature}`);
  }
  if (!(Number.isInteger(opts.topK) && opts.topK >= 0)) throw new ShapeError(`sample: topK must be an integer ≥ 0, got ${opts.topK}`);
  if (!(opts.topP > 0 && opts.topP <= 1)) throw new ShapeError(`sample: topP must be in (0, 1], got ${opts.topP}`);
  return { N, V };
}

export function checkUniform(out: Tensor): number {
  expectTensor('uniform', 'out', out, out.shape);
  return out.numel;
}
