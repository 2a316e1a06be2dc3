/** Shape checks of the policy loss: inputs and dlogp are f32 [N], stats f32 [3, N]. */
import type { PolicyLossInputs, PolicyLossOptions, PolicyLossOutputs } from '../kernels';
import { ShapeError } from '../shape';
import { expectTensor } from '../tensor';

export function checkPolicyLoss(inputs: PolicyLossInputs, outputs: PolicyLossOutputs, opts: PolicyLossOptions): number {
  const n = inputs.logp.numel;
  for (const [name, t] of Object.entries(inputs)) expectTensor('policyLoss', name, t, [n]);
  expectTensor('policyLoss', 'dlogp', outputs.dlogp, [n]);
  expectTensor('policyLoss', 'stats', outputs.stats, [3, n]);
  for (const [name, v] of Object.entries(opts)) {
    if (!Number.isFinite(v) || v < 0) throw new ShapeError(`policyLoss: ${name} must be a non-negative number, got ${v}`);
  }
  return n;
}
