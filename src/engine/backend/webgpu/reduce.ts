/** Reduce kernels on WebGPU (shaders/reduce.wgsl). */
import reduceWGSL from '../../../../shaders/reduce.wgsl?raw';
import type { Kernels } from '../../kernels';
import { checkFactor, checkReduce, checkReduceBackward, type ReduceDims } from '../../shapes/reduce';
import type { Tensor } from '../../tensor';
import { gpuBuffer as buf, kernelFamily } from './kernelDef';
import { groups1d, type GpuRuntime } from './runtime';

const def = kernelFamily('Reduce', reduceWGSL);
const P = [['total', 'u32'], ['n', 'u32'], ['inner', 'u32'], ['scale', 'f32']] as const;
const K = {
  sum: def('reduce_sum', P, ['read', 'write']),
  max: def('reduce_max', P, ['read', 'write', 'write']),
  broadcastBackward: def('broadcast_backward', P, ['read', 'write']),
  maxBackward: def('max_backward', P, ['read', 'read', 'write']),
};

export function reduceGpu(rt: GpuRuntime): Pick<Kernels, 'sum' | 'mean' | 'max' | 'broadcastBackward' | 'maxBackward'> {
  /** One invocation per element of `written` (the last tensor). */
  const run = (k: keyof typeof K, tensors: Tensor[], d: ReduceDims, scale = 1) => {
    const total = tensors[tensors.length - 1].numel;
    rt.dispatch(K[k], tensors.map(buf), { total, n: d.n, inner: d.inner, scale }, groups1d(total));
  };
  return {
    sum(x, axis, out) {
      run('sum', [x, out], checkReduce('sum', x, axis, out));
    },
    mean(x, axis, out) {
      const d = checkReduce('mean', x, axis, out);
      run('sum', [x, out], d, 1 / d.n);
    },
    max(x, axis, out, argmax) {
      const d = checkReduce('max', x, axis, out, argmax);
      // The last binding is argmax, which has out's element count.
      run('max', [x, out, argmax], d);
    },
    broadcastBackward(dout, axis, factor, dx) {
      const d = checkReduceBackward('broadcastBackward', dout, axis, dx);
      checkFactor(factor);
      run('broadcastBackward', [dout, dx], d, factor);
    },
    maxBackward(dout, argmax, axis, dx) {
      run('maxBackward', [dout, argmax, dx], checkReduceBackward('maxBackward', dout, axis, dx, argmax));
    },
  };
}
