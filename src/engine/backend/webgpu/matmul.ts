/** Matmul kernels on WebGPU (shaders/matmul.wgsl). */
import matmulWGSL from '../../../../shaders/matmul.wgsl?raw';
import type { Kernels } from '../../kernels';
import { checkMatmul } from '../../shapes/matmul';
import { gpuBuffer as buf, kernelFamily } from './kernelDef';
import type { GpuRuntime } from './runtime';

/** Output tile edge of one workgroup (TILE in the shader). */
const TILE = 64;
const MATMUL = kernelFamily('Matmul', matmulWGSL)(
  'matmul',
  [
    ['M', 'u32'],
    ['N', 'u32'],
    ['K', 'u32'],
    ['transA', 'u32'],
    ['transB', 'u32'],
    ['accumulate', 'u32'],
    ['strideA', 'u32'],
    ['strideB', 'u32'],
    ['alpha', 'f32'],
  ],
  ['read', 'read', 'write'],
);

export function matmulGpu(rt: GpuRuntime): Pick<Kernels, 'matmul'> {
  return {
    matmul(a, b, out, opts) {
      const d = checkMatmul(a, b, out, opts);
      const params = { ...d, transA: +d.transA, transB: +d.transB, accumulate: +d.accumulate };
      const groups = [Math.ceil(d.N / TILE), Math.ceil(d.M / TILE), d.batch] as const;
      rt.dispatch(MATMUL, [a, b, out].map(buf), params, groups);
    },
  };
}
