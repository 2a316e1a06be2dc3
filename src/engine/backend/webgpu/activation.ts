/** Activations on WebGPU (shaders/activation.wgsl). */
import activationWGSL from '../../../../shaders/activation.wgsl?raw';
import type { ActivationKind, Kernels } from '../../kernels';
import { checkActivation } from '../../shapes/activation';
import { gpuBuffer as buf, kernelFamily } from './kernelDef';
import { groups1d, type GpuRuntime } from './runtime';

const def = kernelFamily('Activation', activationWGSL);
const P = [['n', 'u32'], ['kind', 'u32']] as const;
const forward = def('activation_forward', P, ['read', 'write']);
const backward = def('activation_backward', P, ['read', 'read', 'write']);

/** The `kind` codes of activation.wgsl. */
const KIND_CODE: Record<ActivationKind, number> = { relu: 0, silu: 1, gelu: 2, sigmoid: 3 };

export function activationGpu(rt: GpuRuntime): Pick<Kernels, 'activation' | 'activationBackward'> {
  return {
    activation(x, out, kind) {
      checkActivation('activation', kind, x, { out });
      rt.dispatch(forward, [x, out].map(buf), { n: x.numel, kind: KIND_CODE[kind] }, groups1d(x.numel));
    },
    activationBackward(x, dout, dx, kind) {
      checkActivation('activationBackward', kind, x, { dout, dx });
      rt.dispatch(backward, [x, dout, dx].map(buf), { n: x.numel, kind: KIND_CODE[kind] }, groups1d(x.numel));
    },
  };
}
