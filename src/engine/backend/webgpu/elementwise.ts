/** Elementwise kernels on WebGPU (shaders/elementwise.wgsl). */
import elementwiseWGSL from '../../../../shaders/elementwise.wgsl?raw';
import type { Kernels } from '../../kernels';
import { checkAxpy, checkBinary, checkMulBackward, checkUnary } from '../../shapes/elementwise';
import { gpuBuffer as buf, kernelFamily } from './kernelDef';
import { groups1d, type GpuRuntime } from './runtime';

const def = kernelFamily('Elementwise', elementwiseWGSL);
const P = [['n', 'u32'], ['alpha', 'f32']] as const;
const K = {
  add: def('add_forward', P, ['read', 'read', 'write']),
  mul: def('mul_forward', P, ['read', 'read', 'write']),
  mulBackward: def('mul_backward_a', P, ['read', 'read', 'write']),
  scale: def('scale_forward', P, ['read', 'write']),
  axpy: def('axpy', P, ['read', 'write']),
  fill: def('fill', P, ['write']),
};

export function elementwiseGpu(rt: GpuRuntime): Pick<Kernels, 'add' | 'mul' | 'scale' | 'axpy' | 'mulBackward' | 'fill'> {
  const run = (k: keyof typeof K, tensors: Parameters<typeof buf>[0][], n: number, alpha = 0) =>
    rt.dispatch(K[k], tensors.map(buf), { n, alpha }, groups1d(n));
  return {
    add(a, b, out) {
      checkBinary('add', a, b, out);
      run('add', [a, b, out], out.numel);
    },
    mul(a, b, out) {
      checkBinary('mul', a, b, out);
      run('mul', [a, b, out], out.numel);
    },
    scale(a, s, out) {
      checkUnary('scale', a, out);
      run('scale', [a, out], out.numel, s);
    },
    axpy(src, alpha, dst) {
      checkAxpy(src, dst);
      run('axpy', [src, dst], dst.numel, alpha);
    },
    mulBackward(dout, a, b, da, db) {
      checkMulBackward(dout, a, b, da, db);
      if (da) run('mulBackward', [dout, b, da], da.numel);
      if (db) run('mulBackward', [dout, a, db], db.numel);
    },
    fill(out, value) {
      run('fill', [out], out.numel, value);
    },
  };
}
