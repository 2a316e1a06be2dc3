/** Categorical sampling (shaders/sample.wgsl) and the uniform fill (shaders/rng.wgsl) on WebGPU. */
import rngWGSL from '../../../../shaders/rng.wgsl?raw';
import sampleWGSL from '../../../../shaders/sample.wgsl?raw';
import type { Kernels } from '../../kernels';
import { checkSample, checkUniform } from '../../shapes/sample';
import { gpuBuffer as buf, kernelFamily } from './kernelDef';
import { groups1d, type GpuRuntime } from './runtime';

const sampleKernel = kernelFamily('Sample', sampleWGSL)(
  'sample',
  [
    ['N', 'u32'], ['V', 'u32'], ['invT', 'f32'], ['topK', 'u32'], ['topP', 'f32'], ['greedy', 'u32'],
    ['seed', 'u32'], ['stream', 'u32'], ['counter', 'u32'],
  ],
  ['read', 'write'],
);
const uniformKernel = kernelFamily('Rng', rngWGSL)(
  'uniform_fill',
  [['n', 'u32'], ['seed', 'u32'], ['stream', 'u32'], ['counter', 'u32']],
  ['write'],
);

export function sampleGpu(rt: GpuRuntime): Pick<Kernels, 'sample' | 'uniform'> {
  return {
    sample(logits, ids, opts, key) {
      const { N, V } = checkSample(logits, ids, opts);
      const params = {
        N,
        V,
        invT: opts.greedy ? 1 : 1 / opts.temperature,
        topK: Math.min(opts.topK, V), // a u32 param; keeping more than V tokens is the same as V
        topP: opts.topP,
        greedy: opts.greedy ? 1 : 0,
        seed: key.seed >>> 0,
        stream: key.stream >>> 0,
        counter: key.counter >>> 0,
      };
      rt.dispatch(sampleKernel, [buf(logits), buf(ids)], params, groups1d(N, 1));
    },
    uniform(out, key) {
      const n = checkUniform(out);
      const params = { n, seed: key.seed >>> 0, stream: key.stream >>> 0, counter: key.counter >>> 0 };
      rt.dispatch(uniformKernel, [buf(out)], params, groups1d(n));
    },
  };
}
