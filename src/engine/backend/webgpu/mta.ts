/** Multi-Token Attention kernels on WebGPU (shaders/mta.wgsl). */
import mtaWGSL from '../../../../shaders/mta.wgsl?raw';
import type { AttentionMask, Kernels } from '../../kernels';
import { checkHeadMix, checkHeadMixBackward, checkMtaConv, checkMtaConvBackward, type ConvDims, type MixDims } from '../../shapes/mta';
import { gpuBuffer as buf, kernelFamily, keyStartOr } from './kernelDef';
import { groups1d, type GpuRuntime } from './runtime';

const def = kernelFamily('Mta', mtaWGSL);
const CONV = [
  ['B', 'u32'],
  ['H', 'u32'],
  ['T', 'u32'],
  ['S', 'u32'],
  ['cq', 'u32'],
  ['ck', 'u32'],
  ['pk', 'u32'],
  ['qPos0', 'u32'],
  ['hasKeyStart', 'u32'],
] as const;
const MIX = [['B', 'u32'], ['H', 'u32'], ['plane', 'u32'], ['c', 'u32'], ['inOut', 'u32']] as const;
const K = {
  convForward: def('conv_forward', CONV, ['read', 'read', 'read', 'write']),
  convBackwardX: def('conv_backward_x', CONV, ['read', 'read', 'read', 'write']),
  convBackwardKernel: def('conv_backward_kernel', CONV, ['read', 'read', 'read', 'write']),
  mixForward: def('mix_forward', MIX, ['read', 'read', 'write']),
  mixBackwardX: def('mix_backward_x', MIX, ['read', 'read', 'write']),
  mixBackwardWeight: def('mix_backward_weight', MIX, ['read', 'read', 'write']),
};

const convParams = (d: ConvDims, mask: AttentionMask) => ({ ...d, qPos0: mask.qPos0, hasKeyStart: mask.keyStart ? 1 : 0 });
const mixParams = (d: MixDims) => ({ B: d.B, H: d.H, plane: d.T * d.S, c: d.c, inOut: d.inOut });

export function mtaGpu(rt: GpuRuntime): Pick<Kernels, 'mtaConv' | 'mtaConvBackward' | 'headMix' | 'headMixBackward'> {
  return {
    mtaConv(x, kernel, out, mask, padKey) {
      const d = checkMtaConv('mtaConv', x, kernel, out, mask, padKey);
      rt.dispatch(K.convForward, [x, kernel, keyStartOr(mask, x), out].map(buf), convParams(d, mask), groups1d(x.numel));
    },
    mtaConvBackward(dout, x, kernel, dx, dkernel, mask, padKey) {
      const d = checkMtaConvBackward(dout, x, kernel, dx, dkernel, mask, padKey);
      const params = convParams(d, mask);
      const keyStart = keyStartOr(mask, x);
      rt.dispatch(K.convBackwardX, [dout, kernel, keyStart, dx].map(buf), params, groups1d(x.numel));
      rt.dispatch(K.convBackwardKernel, [dout, x, keyStart, dkernel].map(buf), params, groups1d(kernel.numel, 1));
    },
    headMix(x, weight, out, opts) {
      const d = checkHeadMix('headMix', x, weight, out, opts);
      rt.dispatch(K.mixForward, [x, weight, out].map(buf), mixParams(d), groups1d(x.numel));
    },
    headMixBackward(dout, x, weight, dx, dweight, opts) {
      const d = checkHeadMixBackward(dout, x, weight, dx, dweight, opts);
      rt.dispatch(K.mixBackwardX, [dout, weight, dx].map(buf), mixParams(d), groups1d(x.numel));
      rt.dispatch(K.mixBackwardWeight, [dout, x, dweight].map(buf), mixParams(d), groups1d(weight.numel, 1));
    },
  };
}
