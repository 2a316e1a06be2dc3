/** The clipped policy-gradient loss, CPU oracle (formulas in shaders/policy_loss.wgsl's header). */
import type { Kernels } from '../../kernels';
import { checkPolicyLoss } from '../../shapes/policyLoss';
import { f32 } from './data';

export const policyLossCpu: Pick<Kernels, 'policyLoss'> = {
  policyLoss(inputs, outputs, opts) {
    const n = checkPolicyLoss(inputs, outputs, opts);
    const [lp, old, ref, adv, w] = [inputs.logp, inputs.oldLogp, inputs.refLogp, inputs.advantages, inputs.weights].map(f32);
    const stats = f32(outputs.stats), dlogp = f32(outputs.dlogp);
    const lo = 1 - opts.epsLow, hi = 1 + opts.epsHigh, cap = opts.delta ?? Infinity;
    // A token-level ratio is a row of one token; a sequence-level one is shared by the row's T tokens.
    const T = inputs.sequenceMean ? inputs.sequenceMean.shape[1] : 1;
    const mean = inputs.sequenceMean ? f32(inputs.sequenceMean) : null;
    const ratio = new Float64Array(n), surrogate = new Float64Array(n), surrogateGrad = new Float64Array(n);
    for (let row = 0; row < n / T; row++) {
      let logRatio = 0;
      for (let i = row * T; i < (row + 1) * T; i++) logRatio += mean ? mean[i] * (lp[i] - old[i]) : lp[i] - old[i];
      const r = Math.exp(logRatio);
      let spread = 0;
      for (let i = row * T; i < (row + 1) * T; i++) {
        const a = adv[i];
        const unclipped = Math.min(r, cap) * a;
        const clippedTerm = Math.min(Math.max(r, lo), hi) * a;
        ratio[i] = r;
        surrogate[i] = Math.min(unclipped, clippedTerm);
        // The min takes the unclipped branch's gradient when it is the smaller (or equal) one and the δ cap does not
        // bind; a clipped or capped branch is constant.
        surrogateGrad[i] = unclipped <= clippedTerm && r <= cap ? -a * r : 0;
        spread += w[i] * surrogateGrad[i];
      }
      // Sequence level: ∂r/∂logp_i = r·m_i, so token i receives m_i times the row's summed weighted gradient.
      if (mean) for (let i = row * T; i < (row + 1) * T; i++) surrogateGrad[i] = mean[i] * spread;
      else surrogateGrad[row] *= w[row];
    }
    for (let i = 0; i < n; i++) {
      const a = adv[i], r = ratio[i];
      const logRef = ref[i] - lp[i];
      const kl = Math.exp(logRef) - logRef - 1;
      stats[i] = w[i] * (-surrogate[i] + opts.beta * kl);
      stats[n + i] = kl;
      stats[2 * n + i] = r < lo && a < 0 ? -1 : r > hi && a > 0 ? 1 : 0;
      dlogp[i] = surrogateGrad[i] + w[i] * opts.beta * (1 - Math.exp(logRef));
    }
  },
};
