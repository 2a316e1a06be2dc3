/** Rotary position embedding on WebGPU (shaders/rope.wgsl). */
import ropeWGSL from '../../../../shaders/rope.wgsl?raw';
import type { Kernels } from '../../kernels';
import { checkRope } from '../../shapes/rope';
import { gpuBuffer as buf, kernelFamily } from './kernelDef';
import { groups1d, type GpuRuntime } from './runtime';

const def = kernelFamily('Rope', ropeWGSL);
const P = [['pairs', 'u32'], ['H', 'u32'], ['D', 'u32'], ['theta', 'f32'], ['sign', 'f32'], ['accumulate', 'u32']] as const;
const rope = def('rope', P, ['read', 'read', 'write']);

export function ropeGpu(rt: GpuRuntime): Pick<Kernels, 'rope'> {
  return {
    rope(x, positions, out, theta, inverse, accumulate) {
      const { H, D } = checkRope(x, positions, out, theta);
      const pairs = x.numel / 2;
      const params = { pairs, H, D, theta, sign: inverse ? -1 : 1, accumulate: accumulate ? 1 : 0 };
      rt.dispatch(rope, [x, positions, out].map(buf), params, groups1d(pairs));
    },
  };
}
