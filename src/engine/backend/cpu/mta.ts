/** Multi-Token Attention kernels (key-query convolution, head mixing), CPU oracle. */
import type { Kernels } from '../../kernels';
import { checkHeadMix, checkHeadMixBackward, checkMtaConv, checkMtaConvBackward, type MixDims } from '../../shapes/mta';
import { f32 } from './data';
import { visibility } from './mask';

/** The mixing coefficient from input head `inp` to output head `o` of group g, whatever the stored layout. */
function mixIndex({ c, inOut }: MixDims, g: number, o: number, inp: number): number {
  return inOut ? (g * c + inp) * c + o : (g * c + o) * c + inp;
}

export const mtaCpu: Pick<Kernels, 'mtaConv' | 'mtaConvBackward' | 'headMix' | 'headMixBackward'> = {
  mtaConv(x, kernel, out, mask, padKey) {
    const { B, H, T, S, cq, ck, pk } = checkMtaConv('mtaConv', x, kernel, out, mask, padKey);
    const xs = f32(x), k = f32(kernel), o = f32(out);
    const vis = visibility(mask);
    // x̃: the map with masked entries and everything outside it read as 0 (the official Mask_0 + zero padding).
    const xt = (b: number, h: number, r: number, w: number) =>
      r >= 0 && r < T && w >= 0 && w < S && vis(b, r, w) ? xs[((b * H + h) * T + r) * S + w] : 0;
    for (let b = 0; b < B; b++)
      for (let h = 0; h < H; h++)
        for (let i = 0; i < T; i++)
          for (let j = 0; j < S; j++) {
            let acc = 0;
            if (vis(b, i, j)) {
              for (let a = 0; a < cq; a++)
                for (let c = 0; c < ck; c++) acc += k[(h * cq + a) * ck + c] * xt(b, h, i - (cq - 1) + a, j - pk + c);
            }
            o[((b * H + h) * T + i) * S + j] = acc;
          }
  },

  mtaConvBackward(dout, x, kernel, dx, dkernel, mask, padKey) {
    const { B, H, T, S, cq, ck, pk } = checkMtaConvBackward(dout, x, kernel, dx, dkernel, mask, padKey);
    const g = f32(dout), xs = f32(x), k = f32(kernel), gx = f32(dx), gk = f32(dkernel);
    const vis = visibility(mask);
    // Scatter each visible output's gradient to the taps and the visible inputs it read (masked outputs are
    // constant 0, so their dout contributes nothing).
    const dk = new Float64Array(gk.length);
    for (let b = 0; b < B; b++)
      for (let h = 0; h < H; h++)
        for (let i = 0; i < T; i++)
          for (let j = 0; j < S; j++) {
            if (!vis(b, i, j)) continue;
            const go = g[((b * H + h) * T + i) * S + j];
            for (let a = 0; a < cq; a++)
              for (let c = 0; c < ck; c++) {
                const r = i - (cq - 1) + a, w = j - pk + c;
                if (r < 0 || w < 0 || w >= S || !vis(b, r, w)) continue;
                const src = ((b * H + h) * T + r) * S + w, tap = (h * cq + a) * ck + c;
                gx[src] += k[tap] * go;
                dk[tap] += xs[src] * go;
              }
          }
    for (let t = 0; t < gk.length; t++) gk[t] += dk[t];
  },

  headMix(x, weight, out, opts) {
    const dims = checkHeadMix('headMix', x, weight, out, opts);
    const { B, H, T, S, c } = dims;
    const xs = f32(x), wt = f32(weight), o = f32(out);
    const plane = T * S;
    for (let b = 0; b < B; b++)
      for (let h = 0; h < H; h++) {
        const g = Math.floor(h / c), oh = h % c;
        for (let n = 0; n < plane; n++) {
          let acc = 0;
          for (let inp = 0; inp < c; inp++) acc += wt[mixIndex(dims, g, oh, inp)] * xs[(b * H + g * c + inp) * plane + n];
          o[(b * H + h) * plane + n] = acc;
        }
      }
  },

  headMixBackward(dout, x, weight, dx, dweight, opts) {
    const dims = checkHeadMixBackward(dout, x, weight, dx, dweight, opts);
    const { B, H, T, S, c } = dims;
    const g = f32(dout), xs = f32(x), wt = f32(weight), gx = f32(dx), gw = f32(dweight);
    const plane = T * S;
    const dw = new Float64Array(gw.length);
    for (let b = 0; b < B; b++)
      for (let h = 0; h < H; h++) {
        const grp = Math.floor(h / c), oh = h % c;
        for (let inp = 0; inp < c; inp++) {
          const wi = mixIndex(dims, grp, oh, inp);
          const src = (b * H + grp * c + inp) * plane, dst = (b * H + h) * plane;
          for (let n = 0; n < plane; n++) {
            gx[src + n] += wt[wi] * g[dst + n];
            dw[wi] += g[dst + n] * xs[src + n];
          }
        }
      }
    for (let t = 0; t < gw.length; t++) gw[t] += dw[t];
  },
};
