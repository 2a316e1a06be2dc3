/** Shape checks of the Multi-Token Attention family (key-query convolution, head mixing), shared by both backends. */
import type { AttentionMask, HeadMixOptions, MtaPadKey } from '../kernels';
import { ShapeError, fmtShape } from '../shape';
import { expectDistinct, expectSameShape, expectTensor, type Tensor } from '../tensor';
import { checkMap, type MapDims } from './attention';

/** Left offset of the key window: how many zero columns the official code pads before key 0. */
export function keyPadding(op: string, padKey: MtaPadKey, ck: number): number {
  if (padKey === 'both') {
    if (ck % 2 !== 1) throw new ShapeError(`${op}: padKey 'both' needs an odd key kernel size, got c_k = ${ck}`);
    return (ck - 1) / 2;
  }
  if (padKey === 'left') return ck - 1;
  if (padKey === 'right') return 0;
  throw new ShapeError(`${op}: unknown padKey ${String(padKey)}`);
}

function checkMask(op: string, mask: AttentionMask, { B, S }: MapDims): void {
  if (mask.kLen !== S) throw new ShapeError(`${op}: mask.kLen ${mask.kLen} must equal the map's key length S = ${S}`);
  if (!Number.isInteger(mask.qPos0) || mask.qPos0 < 0) throw new ShapeError(`${op}: mask.qPos0 must be a non-negative integer, got ${mask.qPos0}`);
  if (mask.keyStart) expectTensor(op, 'mask.keyStart', mask.keyStart, [B], 'i32');
}

export interface ConvDims extends MapDims {
  cq: number;
  ck: number;
  /** Left offset of the key window (see keyPadding). */
  pk: number;
}

/** x, out [B,H,T,S], kernel [H, c_q, c_k]. */
export function checkMtaConv(op: string, x: Tensor, kernel: Tensor, out: Tensor, mask: AttentionMask, padKey: MtaPadKey): ConvDims {
  const dims = checkMap(op, 'x', x);
  expectSameShape(op, x, out);
  expectDistinct(op, out, [x]);
  expectTensor(op, 'kernel', kernel, [dims.H, -1, -1]);
  const [, cq, ck] = kernel.shape;
  if (cq < 1 || ck < 1) throw new ShapeError(`${op}: kernel ${fmtShape(kernel.shape)} has an empty window`);
  checkMask(op, mask, dims);
  return { ...dims, cq, ck, pk: keyPadding(op, padKey, ck) };
}

export function checkMtaConvBackward(
  dout: Tensor,
  x: Tensor,
  kernel: Tensor,
  dx: Tensor,
  dkernel: Tensor,
  mask: AttentionMask,
  padKey: MtaPadKey,
): ConvDims {
  const op = 'mtaConvBackward';
  const dims = checkMtaConv(op, x, kernel, dx, mask, padKey);
  expectSameShape(op, x, dout);
  expectDistinct(op, dx, [dout]);
  expectSameShape(op, kernel, dkernel);
  expectTensor(op, 'dkernel', dkernel, kernel.shape);
  expectTensor(op, 'dout', dout, x.shape);
  return dims;
}

export interface MixDims extends MapDims {
  /** Heads per group (c). */
  c: number;
  /** 1 when weight is stored [g, in, out] ('inOut'), 0 for [g, out, in] ('linear'). */
  inOut: number;
}

/** x, out [B,H,T,S]; weight [H/c, c, c], or [H, H] when c = H. */
export function checkHeadMix(op: string, x: Tensor, weight: Tensor, out: Tensor, opts: HeadMixOptions): MixDims {
  const dims = checkMap(op, 'x', x);
  expectSameShape(op, x, out);
  expectDistinct(op, out, [x]);
  const c = opts.groupSize;
  if (!Number.isInteger(c) || c < 1 || dims.H % c !== 0) {
    throw new ShapeError(`${op}: groupSize ${c} must divide the head count H = ${dims.H} (x ${fmtShape(x.shape)})`);
  }
  if (opts.layout !== 'linear' && opts.layout !== 'inOut') throw new ShapeError(`${op}: unknown layout ${String(opts.layout)}`);
  const full = weight.shape.length === 2 && c === dims.H;
  expectTensor(op, 'weight', weight, full ? [c, c] : [dims.H / c, c, c]);
  return { ...dims, c, inOut: opts.layout === 'inOut' ? 1 : 0 };
}

export function checkHeadMixBackward(dout: Tensor, x: Tensor, weight: Tensor, dx: Tensor, dweight: Tensor, opts: HeadMixOptions): MixDims {
  const op = 'headMixBackward';
  const dims = checkHeadMix(op, x, weight, dx, opts);
  expectSameShape(op, x, dout);
  expectDistinct(op, dx, [dout]);
  expectSameShape(op, weight, dweight);
  expectTensor(op, 'dweight', dweight, weight.shape);
  expectTensor(op, 'dout', dout, x.shape);
  return dims;
}
