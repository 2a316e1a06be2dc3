/** Shape checks of the attention family (scores, masked softmax, values, KV-cache append), shared by both backends. */
import type { AttentionMask } from '../kernels';
import { ShapeError, fmtShape } from '../shape';
import { expectDistinct, expectSameShape, expectTensor, type Tensor } from '../tensor';

/** q/out [B,T,H,D]; k/v [B,Smax,H,D] of which the first S are valid keys; scores/probs [B,H,T,S]. */
export interface AttnDims {
  B: number;
  T: number;
  H: number;
  D: number;
  Smax: number;
  S: number;
}

/** A [B,H,T,S] scores/probs map. */
export interface MapDims {
  B: number;
  H: number;
  T: number;
  S: number;
}

/** The mask must describe T query rows whose own keys lie inside the first kLen ≤ Smax keys. */
function checkMask(op: string, mask: AttentionMask, B: number, T: number, Smax: number): void {
  const { qPos0, kLen } = mask;
  if (!Number.isInteger(qPos0) || qPos0 < 0) throw new ShapeError(`${op}: mask.qPos0 must be a non-negative integer, got ${qPos0}`);
  if (!Number.isInteger(kLen) || kLen < 1) throw new ShapeError(`${op}: mask.kLen must be a positive integer, got ${kLen}`);
  if (kLen > Smax) throw new ShapeError(`${op}: mask.kLen ${kLen} is larger than the key/cache length ${Smax}`);
  if (qPos0 + T > kLen) {
    throw new ShapeError(`${op}: queries reach position qPos0 + T = ${qPos0} + ${T} = ${qPos0 + T} but only kLen = ${kLen} keys are valid`);
  }
  if (mask.keyStart) expectTensor(op, 'mask.keyStart', mask.keyStart, [B], 'i32');
}

function checkHeads(op: string, q: Tensor, k: Tensor): Omit<AttnDims, 'S'> {
  expectTensor(op, 'q', q, [-1, -1, -1, -1]);
  const [B, T, H, D] = q.shape;
  expectTensor(op, 'k', k, [B, -1, H, D]);
  return { B, T, H, D, Smax: k.shape[1] };
}

export function checkScores(op: string, q: Tensor, k: Tensor, scores: Tensor, mask: AttentionMask, scoresName = 'scores'): AttnDims {
  const dims = checkHeads(op, q, k);
  checkMask(op, mask, dims.B, dims.T, dims.Smax);
  expectTensor(op, scoresName, scores, [dims.B, dims.H, dims.T, mask.kLen]);
  expectDistinct(op, scores, [q, k]);
  return { ...dims, S: mask.kLen };
}

export function checkScoresBackward(
  dscores: Tensor,
  q: Tensor,
  k: Tensor,
  dq: Tensor,
  dk: Tensor,
  mask: AttentionMask,
): AttnDims {
  const op = 'attnScoresBackward';
  const dims = checkScores(op, q, k, dscores, mask, 'dscores');
  expectSameShape(op, q, dq);
  expectTensor(op, 'dq', dq, q.shape);
  expectSameShape(op, k, dk);
  expectTensor(op, 'dk', dk, k.shape);
  expectDistinct(op, dq, [dscores, k, dk]);
  expectDistinct(op, dk, [dscores, q]);
  return dims;
}

/** Checks that x is a rank-4 [B,H,T,S] map and returns its dims. */
export function checkMap(op: string, name: string, x: Tensor): MapDims {
  expectTensor(op, name, x, [-1, -1, -1, -1]);
  const [B, H, T, S] = x.shape;
  return { B, H, T, S };
}

export function checkSoftmax(scores: Tensor, probs: Tensor, mask: AttentionMask): MapDims {
  const op = 'attnSoftmax';
  const dims = checkMap(op, 'scores', scores);
  if (mask.kLen !== dims.S) throw new ShapeError(`${op}: mask.kLen ${mask.kLen} must equal the key length of scores ${fmtShape(scores.shape)}`);
  checkMask(op, mask, dims.B, dims.T, dims.S);
  expectSameShape(op, scores, probs);
  expectTensor(op, 'probs', probs, scores.shape);
  expectDistinct(op, probs, [scores]);
  return dims;
}

export function checkSoftmaxBackward(probs: Tensor, dprobs: Tensor, dscores: Tensor): MapDims {
  const op = 'attnSoftmaxBackward';
  const dims = checkMap(op, 'probs', probs);
  expectSameShape(op, probs, dprobs);
  expectTensor(op, 'dprobs', dprobs, probs.shape);
  expectSameShape(op, probs, dscores);
  expectTensor(op, 'dscores', dscores, probs.shape);
  expectDistinct(op, dscores, [probs, dprobs]);
  return dims;
}

export function checkValues(op: string, probs: Tensor, v: Tensor, out: Tensor, outName = 'out'): AttnDims {
  const { B, H, T, S } = checkMap(op, 'probs', probs);
  expectTensor(op, 'v', v, [B, -1, H, -1]);
  const [, Smax, , D] = v.shape;
  if (S > Smax) throw new ShapeError(`${op}: probs ${fmtShape(probs.shape)} cover ${S} keys but v ${fmtShape(v.shape)} holds only ${Smax}`);
  expectTensor(op, outName, out, [B, T, H, D]);
  expectDistinct(op, out, [probs, v]);
  return { B, T, H, D, Smax, S };
}

export function checkValuesBackward(dout: Tensor, probs: Tensor, v: Tensor, dprobs: Tensor, dv: Tensor): AttnDims {
  const op = 'attnValuesBackward';
  const dims = checkValues(op, probs, v, dout, 'dout');
  expectSameShape(op, probs, dprobs);
  expectTensor(op, 'dprobs', dprobs, probs.shape);
  expectSameShape(op, v, dv);
  expectTensor(op, 'dv', dv, v.shape);
  expectDistinct(op, dprobs, [dout, v, dv]);
  expectDistinct(op, dv, [dout, probs]);
  return dims;
}

/** src [B,T,C] lands in rows offset..offset+T−1 of cache [B,Smax,C]. */
export function checkWriteRows(src: Tensor, cache: Tensor, offset: number): { B: number; T: number; C: number; Smax: number } {
  const op = 'writeRows';
  expectTensor(op, 'src', src, [-1, -1, -1]);
  const [B, T, C] = src.shape;
  expectTensor(op, 'cache', cache, [B, -1, C]);
  const Smax = cache.shape[1];
  if (!Number.isInteger(offset) || offset < 0) throw new ShapeError(`${op}: offset must be a non-negative integer, got ${offset}`);
  if (offset + T > Smax) {
    throw new ShapeError(`${op}: rows ${offset}..${offset + T - 1} of src ${fmtShape(src.shape)} overflow cache ${fmtShape(cache.shape)}`);
  }
  expectDistinct(op, cache, [src]);
  return { B, T, C, Smax };
}
