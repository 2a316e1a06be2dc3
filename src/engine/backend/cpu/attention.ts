/** Attention kernels (masked scores, softmax, values, KV-cache append), CPU oracle. */
import type { Kernels } from '../../kernels';
import {
  checkScores,
  checkScoresBackward,
  checkSoftmax,
  checkSoftmaxBackward,
  checkValues,
  checkValuesBackward,
  checkWriteRows,
} from '../../shapes/attention';
import { f32 } from './data';
import { visibility } from './mask';

export const attentionCpu: Pick<
  Kernels,
  'attnScores' | 'attnScoresBackward' | 'attnSoftmax' | 'attnSoftmaxBackward' | 'attnValues' | 'attnValuesBackward' | 'writeRows'
> = {
  attnScores(q, k, scores, scale, mask) {
    const { B, T, H, D, Smax, S } = checkScores('attnScores', q, k, scores, mask);
    const qs = f32(q), ks = f32(k), o = f32(scores);
    const vis = visibility(mask);
    for (let b = 0; b < B; b++)
      for (let h = 0; h < H; h++)
        for (let i = 0; i < T; i++)
          for (let j = 0; j < S; j++) {
            let dot = 0;
            if (vis(b, i, j)) for (let d = 0; d < D; d++) dot += qs[((b * T + i) * H + h) * D + d] * ks[((b * Smax + j) * H + h) * D + d];
            o[((b * H + h) * T + i) * S + j] = scale * dot;
          }
  },

  attnScoresBackward(dscores, q, k, dq, dk, scale, mask) {
    const { B, T, H, D, Smax, S } = checkScoresBackward(dscores, q, k, dq, dk, mask);
    const g = f32(dscores), qs = f32(q), ks = f32(k), gq = f32(dq), gk = f32(dk);
    const vis = visibility(mask);
    // Each visible score s = scale·q·k sends its gradient to both factors; masked scores are constants.
    for (let b = 0; b < B; b++)
      for (let h = 0; h < H; h++)
        for (let i = 0; i < T; i++)
          for (let j = 0; j < S; j++) {
            if (!vis(b, i, j)) continue;
            const gs = scale * g[((b * H + h) * T + i) * S + j];
            const qi = ((b * T + i) * H + h) * D, kj = ((b * Smax + j) * H + h) * D;
            for (let d = 0; d < D; d++) {
              gq[qi + d] += gs * ks[kj + d];
              gk[kj + d] += gs * qs[qi + d];
            }
          }
  },

  attnSoftmax(scores, probs, mask) {
    const { B, H, T, S } = checkSoftmax(scores, probs, mask);
    const s = f32(scores), p = f32(probs);
    const vis = visibility(mask);
    for (let b = 0; b < B; b++)
      for (let h = 0; h < H; h++)
        for (let i = 0; i < T; i++) {
          const row = ((b * H + h) * T + i) * S;
          let max = -Infinity;
          for (let j = 0; j < S; j++) if (vis(b, i, j)) max = Math.max(max, s[row + j]);
          let total = 0;
          for (let j = 0; j < S; j++) if (vis(b, i, j)) total += Math.exp(s[row + j] - max);
          // A row with no visible key (all of it left padding) has total 0 and gets all-zero probabilities.
          for (let j = 0; j < S; j++) p[row + j] = vis(b, i, j) ? Math.exp(s[row + j] - max) / total : 0;
        }
  },

  attnSoftmaxBackward(probs, dprobs, dscores) {
    const { B, H, T, S } = checkSoftmaxBackward(probs, dprobs, dscores);
    const p = f32(probs), gp = f32(dprobs), gs = f32(dscores);
    // Masked entries have p = 0, so p ⊙ (…) leaves them untouched without needing the mask.
    for (let row = 0; row < B * H * T * S; row += S) {
      let dot = 0;
      for (let j = 0; j < S; j++) dot += p[row + j] * gp[row + j];
      for (let j = 0; j < S; j++) gs[row + j] += p[row + j] * (gp[row + j] - dot);
    }
  },

  attnValues(probs, v, out) {
    const { B, T, H, D, Smax, S } = checkValues('attnValues', probs, v, out);
    const p = f32(probs), vs = f32(v), o = f32(out);
    for (let b = 0; b < B; b++)
      for (let i = 0; i < T; i++)
        for (let h = 0; h < H; h++)
          for (let d = 0; d < D; d++) {
            let acc = 0;
            for (let j = 0; j < S; j++) acc += p[((b * H + h) * T + i) * S + j] * vs[((b * Smax + j) * H + h) * D + d];
            o[((b * T + i) * H + h) * D + d] = acc;
          }
  },

  attnValuesBackward(dout, probs, v, dprobs, dv) {
    const { B, T, H, D, Smax, S } = checkValuesBackward(dout, probs, v, dprobs, dv);
    const g = f32(dout), p = f32(probs), vs = f32(v), gp = f32(dprobs), gv = f32(dv);
    for (let b = 0; b < B; b++)
      for (let h = 0; h < H; h++)
        for (let i = 0; i < T; i++)
          for (let j = 0; j < S; j++) {
            const pij = ((b * H + h) * T + i) * S + j;
            const oi = ((b * T + i) * H + h) * D, vj = ((b * Smax + j) * H + h) * D;
            let dot = 0;
            for (let d = 0; d < D; d++) {
              dot += g[oi + d] * vs[vj + d];
              gv[vj + d] += p[pij] * g[oi + d];
            }
            gp[pij] += dot;
          }
  },

  writeRows(src, cache, offset) {
    const { B, T, C, Smax } = checkWriteRows(src, cache, offset);
    const x = f32(src), c = f32(cache);
    for (let b = 0; b < B; b++) c.set(x.subarray(b * T * C, (b + 1) * T * C), (b * Smax + offset) * C);
  },
};
