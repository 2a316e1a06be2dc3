/** The clipped policy-gradient loss, CPU oracle (formulas in shaders/policy_loss.wgsl's header). */
import type { Kernels } from '../../kernels';
import { checkPolicyLoss } from '../../shapes/policyLoss';
import { f32 } from './data';

export const policyLossCpu: Pick<Kernels, 'policyLoss'> = {
  policyLoss(inputs, outputs, opts) {
    const n = checkPolicyLoss(inputs, outputs, opts);
    const [lp, old, ref, adv, w] = [inputs.logp, inputs.oldLogp, inputs.refLogp, inputs.advantages, inputs.weights].map(f32);
    const stats = f32(outputs.stats), dlogp = f32(outputs.dlogp);
    const lo = 1 - opts.epsLow, hi = 1 + opts.epsHigh;
    for (let i = 0; i < n; i++) {
      const a = adv[i];
      const ratio = Math.exp(lp[i] - old[i]);
      const unclipped = ratio * a;
      const clippedTerm = Math.min(Math.max(ratio, lo), hi) * a;
      const logRef = ref[i] - lp[i];
      const kl = Math.exp(logRef) - logRef - 1;
      stats[i] = w[i] * (-Math.min(unclipped, clippedTerm) + opts.beta * kl);
      stats[n + i] = kl;
      stats[2 * n + i] = ratio < lo && a < 0 ? -1 : ratio > hi && a > 0 ? 1 : 0;
      // The min takes the unclipped branch's gradient when it is the smaller (or equal) one; a clipped branch is constant.
      const surrogateGrad = unclipped <= clippedTerm ? -a * ratio : 0;
      dlogp[i] = w[i] * (surrogateGrad + opts.beta * (1 - Math.exp(logRef)));
    }
  },
};
