/** The clipped policy-gradient loss on WebGPU (shaders/policy_loss.wgsl). */
import policyLossWGSL from '../../../../shaders/policy_loss.wgsl?raw';
import type { Kernels } from '../../kernels';
import { checkPolicyLoss } from '../../shapes/policyLoss';
import { gpuBuffer as buf, kernelFamily } from './kernelDef';
import { groups1d, type GpuRuntime } from './runtime';

const kernel = kernelFamily('PolicyLoss', policyLossWGSL)(
  'policy_loss',
  [['n', 'u32'], ['epsLow', 'f32'], ['epsHigh', 'f32'], ['beta', 'f32']],
  ['read', 'read', 'read', 'read', 'read', 'write', 'write'],
);

export function policyLossGpu(rt: GpuRuntime): Pick<Kernels, 'policyLoss'> {
  return {
    policyLoss(i, o, opts) {
      const n = checkPolicyLoss(i, o, opts);
      const tensors = [i.logp, i.oldLogp, i.refLogp, i.advantages, i.weights, o.stats, o.dlogp];
      rt.dispatch(kernel, tensors.map(buf), { n, ...opts }, groups1d(n));
    },
  };
}
