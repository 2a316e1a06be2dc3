/** Attention kernels on WebGPU (shaders/attention.wgsl). */
import attentionWGSL from '../../../../shaders/attention.wgsl?raw';
import type { AttentionMask, Kernels } from '../../kernels';
import {
  checkScores,
  checkScoresBackward,
  checkSoftmax,
  checkSoftmaxBackward,
  checkValues,
  checkValuesBackward,
  checkWriteRows,
  type AttnDims,
  type MapDims,
} from '../../shapes/attention';
import type { Tensor } from '../../tensor';
import { gpuBuffer as buf, kernelFamily, keyStartOr } from './kernelDef';
import { groups1d, type GpuRuntime } from './runtime';

const def = kernelFamily('Attention', attentionWGSL);
const P = [
  ['B', 'u32'],
  ['T', 'u32'],
  ['H', 'u32'],
  ['D', 'u32'],
  ['Smax', 'u32'],
  ['S', 'u32'],
  ['qPos0', 'u32'],
  ['hasKeyStart', 'u32'],
  ['scale', 'f32'],
] as const;
const ROWS = [['n', 'u32'], ['T', 'u32'], ['C', 'u32'], ['Smax', 'u32'], ['offset', 'u32']] as const;
const IN3_OUT1 = ['read', 'read', 'read', 'write'] as const;
const IN2_OUT1 = ['read', 'read', 'write'] as const;
const K = {
  scores: def('scores_forward', P, IN3_OUT1),
  scoresBackwardQ: def('scores_backward_q', P, IN3_OUT1),
  scoresBackwardK: def('scores_backward_k', P, IN3_OUT1),
  softmax: def('softmax_forward', P, IN2_OUT1),
  softmaxBackward: def('softmax_backward', P, IN2_OUT1),
  values: def('values_forward', P, IN2_OUT1),
  valuesBackwardProbs: def('values_backward_probs', P, IN2_OUT1),
  valuesBackwardV: def('values_backward_v', P, IN2_OUT1),
  writeRows: def('write_rows', ROWS, ['read', 'write']),
};

/** Map-only kernels (softmax) know no head dimension or cache length. */
const params = (d: MapDims & Partial<AttnDims>, mask?: AttentionMask, scale = 1) => ({
  B: d.B,
  T: d.T,
  H: d.H,
  D: d.D ?? 0,
  Smax: d.Smax ?? d.S,
  S: d.S,
  qPos0: mask?.qPos0 ?? 0,
  hasKeyStart: mask?.keyStart ? 1 : 0,
  scale,
});

export function attentionGpu(
  rt: GpuRuntime,
): Pick<Kernels, 'attnScores' | 'attnScoresBackward' | 'attnSoftmax' | 'attnSoftmaxBackward' | 'attnValues' | 'attnValuesBackward' | 'writeRows'> {
  const run = (k: keyof typeof K, tensors: Tensor[], values: Record<string, number>, n: number) =>
    rt.dispatch(K[k], tensors.map(buf), values, groups1d(n));
  return {
    attnScores(q, k, scores, scale, mask) {
      const d = checkScores('attnScores', q, k, scores, mask);
      run('scores', [keyStartOr(mask, q), q, k, scores], params(d, mask, scale), scores.numel);
    },
    attnScoresBackward(dscores, q, k, dq, dk, scale, mask) {
      const d = checkScoresBackward(dscores, q, k, dq, dk, mask);
      const ks = keyStartOr(mask, dscores);
      run('scoresBackwardQ', [ks, dscores, k, dq], params(d, mask, scale), dq.numel);
      run('scoresBackwardK', [ks, dscores, q, dk], params(d, mask, scale), d.B * d.S * d.H * d.D);
    },
    attnSoftmax(scores, probs, mask) {
      const d = checkSoftmax(scores, probs, mask);
      run('softmax', [keyStartOr(mask, scores), scores, probs], params(d, mask), d.B * d.H * d.T);
    },
    attnSoftmaxBackward(probs, dprobs, dscores) {
      const d = checkSoftmaxBackward(probs, dprobs, dscores);
      run('softmaxBackward', [probs, dprobs, dscores], params(d), d.B * d.H * d.T);
    },
    attnValues(probs, v, out) {
      const d = checkValues('attnValues', probs, v, out);
      run('values', [probs, v, out], params(d), out.numel);
    },
    attnValuesBackward(dout, probs, v, dprobs, dv) {
      const d = checkValuesBackward(dout, probs, v, dprobs, dv);
      run('valuesBackwardProbs', [dout, v, dprobs], params(d), dprobs.numel);
      run('valuesBackwardV', [dout, probs, dv], params(d), d.B * d.S * d.H * d.D);
    },
    writeRows(src, cache, offset) {
      const { T, C, Smax } = checkWriteRows(src, cache, offset);
      run('writeRows', [src, cache], { n: src.numel, T, C, Smax, offset }, src.numel);
    },
  };
}
