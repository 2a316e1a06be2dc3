/** The clipped policy-gradient loss on WebGPU (shaders/policy_loss.wgsl). */
import policyLossWGSL from '../../../../shaders/policy_loss.wgsl?raw';
import type { Kernels } from '../../kernels';
import { checkPolicyLoss } from '../../shapes/policyLoss';
import { gpuBuffer as buf, kernelFamily } from './kernelDef';
import { groups1d, type GpuRuntime } from './runtime';

const kernel = kernelFamily('PolicyLoss', policyLossWGSL)(
  'policy_loss',
  [['n', 'u32'], ['epsLow', 'f32'], ['epsHigh', 'f32'], ['beta', 'f32'], ['delta', 'f32'], ['twoSided', 'u32'], ['rowLength', 'u32'], ['sequenceLevel', 'u32']],
  ['read', 'read', 'read', 'read', 'read', 'read', 'write', 'write'],
);

export function policyLossGpu(rt: GpuRuntime): Pick<Kernels, 'policyLoss'> {
  return {
    policyLoss(i, o, opts) {
      const n = checkPolicyLoss(i, o, opts);
      // At token level the shader never reads the sequence-mean binding, but it must be bound: the weights stand in.
      const tensors = [i.logp, i.oldLogp, i.refLogp, i.advantages, i.weights, i.sequenceMean ?? i.weights, o.stats, o.dlogp];
      const params = {
        n,
        epsLow: opts.epsLow,
        epsHigh: opts.epsHigh,
        beta: opts.beta,
        delta: opts.delta ?? 0,
        twoSided: opts.delta === null ? 0 : 1,
        rowLength: i.sequenceMean ? i.sequenceMean.shape[1] : 1,
        sequenceLevel: i.sequenceMean ? 1 : 0,
      };
      rt.dispatch(kernel, tensors.map(buf), params, groups1d(n));
    },
  };
}
