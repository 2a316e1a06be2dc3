/** Optim kernels on WebGPU (shaders/optim.wgsl). */
import optimWGSL from '../../../../shaders/optim.wgsl?raw';
import type { Kernels } from '../../kernels';
import { checkAdamW, checkClipFactor, checkSumSquares } from '../../shapes/optim';
import { gpuBuffer as buf, kernelFamily } from './kernelDef';
import { groups1d, type GpuRuntime } from './runtime';

/** Largest finite f32: maxNorm = Infinity (no clipping) is sent as this, which still yields factor 1. */
const F32_MAX = 3.4028234663852886e38;

const def = kernelFamily('Optim', optimWGSL);
const K = {
  sumSquares: def('sum_squares', [['n', 'u32']], ['read', 'write']),
  clipFactor: def('clip_factor', [['max_norm', 'f32']], ['read', 'write']),
  adamw: def(
    'adamw',
    [
      ['n', 'u32'],
      ['lr', 'f32'],
      ['beta1', 'f32'],
      ['beta2', 'f32'],
      ['one_minus_beta1', 'f32'],
      ['one_minus_beta2', 'f32'],
      ['bias1', 'f32'],
      ['bias2', 'f32'],
      ['eps', 'f32'],
      ['weight_decay', 'f32'],
    ],
    ['write', 'read', 'write', 'write', 'read'],
  ),
};

export function optimGpu(rt: GpuRuntime): Pick<Kernels, 'sumSquares' | 'clipFactor' | 'adamw'> {
  return {
    sumSquares(x, acc) {
      checkSumSquares(x, acc);
      rt.dispatch(K.sumSquares, [buf(x), buf(acc)], { n: x.numel }, [1]);
    },
    clipFactor(sumsq, stats, maxNorm) {
      checkClipFactor(sumsq, stats, maxNorm);
      rt.dispatch(K.clipFactor, [buf(sumsq), buf(stats)], { max_norm: Math.min(maxNorm, F32_MAX) }, [1]);
    },
    adamw(param, grad, m, v, clipStats, opts) {
      checkAdamW(param, grad, m, v, clipStats, opts);
      const n = param.numel;
      rt.dispatch(
        K.adamw,
        [param, grad, m, v, clipStats].map(buf),
        {
          n,
          lr: opts.lr,
          beta1: opts.beta1,
          beta2: opts.beta2,
          one_minus_beta1: 1 - opts.beta1,
          one_minus_beta2: 1 - opts.beta2,
          bias1: 1 - opts.beta1 ** opts.step,
          bias2: 1 - opts.beta2 ** opts.step,
          eps: opts.eps,
          weight_decay: opts.weightDecay,
        },
        groups1d(n),
      );
    },
  };
}
