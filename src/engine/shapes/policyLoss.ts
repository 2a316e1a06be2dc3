/** Shape checks of the policy loss: inputs and dlogp are f32 [N], stats f32 [3, N], sequenceMean f32 [B, T] with B·T = N. */
import type { PolicyLossInputs, PolicyLossOptions, PolicyLossOutputs } from '../kernels';
import { ShapeError } from '../shape';
import { expectTensor } from '../tensor';

export function checkPolicyLoss(inputs: PolicyLossInputs, outputs: PolicyLossOutputs, opts: PolicyLossOptions): number {
  const { sequenceMean, ...perToken } = inputs;
  const n = perToken.logp.numel;
  for (const [name, t] of Object.entries(perToken)) expectTensor('policyLoss', name, t, [n]);
  if (sequenceMean) {
    expectTensor('policyLoss', 'sequenceMean', sequenceMean, [-1, -1]);
    if (sequenceMean.numel !== n) throw new ShapeError(`policyLoss: sequenceMean has shape [${sequenceMean.shape.join(',')}], expected [B, T] with B·T = ${n}`);
  }
  expectTensor('policyLoss', 'dlogp', outputs.dlogp, [n]);
  expectTensor('policyLoss', 'stats', outputs.stats, [3, n]);
  const { delta, ...scalars } = opts;
  for (const [name, v] of Object.entries(scalars)) {
    if (!Number.isFinite(v) || v < 0) throw new ShapeError(`policyLoss: ${name} must be a non-negative number, got ${v}`);
  }
  if (delta !== null && !(Number.isFinite(delta) && delta > 1 + opts.epsHigh)) {
    throw new ShapeError(`policyLoss: delta must be null or a number above 1 + epsHigh = ${1 + opts.epsHigh}, got ${delta}`);
  }
  return n;
}
