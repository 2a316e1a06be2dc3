/** The differentiable clipped policy-gradient loss (the GRPO objective) over per-token log-probs. */
import type { Graph } from '../autograd';
import type { PolicyLossOptions } from '../kernels';
import type { Tensor } from '../tensor';

export interface PolicyLossTensors {
  oldLogp: Tensor;
  refLogp: Tensor;
  advantages: Tensor;
  weights: Tensor;
}

/**
 * Returns stats [3, N] (weighted loss, k3 KL, clip flags per token; see kernels.ts). The fused kernel has the
 * gradient ready, so `stats` must be the root of backward. An entropy bonus −entropyCoef·Σ w·H is added to the
 * objective through the entropy's gradient.
 */
export function policyLoss(
  g: Graph,
  logp: Tensor,
  entropy: Tensor,
  t: PolicyLossTensors,
  opts: PolicyLossOptions & { entropyCoef: number },
): Tensor {
  const n = logp.numel;
  const stats = g.alloc([3, n], 'f32', 'policyLoss.stats');
  const dlogp = g.alloc([n], 'f32', 'policyLoss.dlogp');
  g.be.policyLoss({ logp, ...t }, { stats, dlogp }, { epsLow: opts.epsLow, epsHigh: opts.epsHigh, beta: opts.beta });
  g.record([logp, entropy], stats, (gradOf) => {
    if (g.root !== stats) throw new Error('policyLoss: its stats must be the root of backward()');
    const dl = gradOf(logp);
    if (dl) g.be.axpy(dlogp, 1, dl);
    const de = gradOf(entropy);
    if (de && opts.entropyCoef !== 0) g.be.axpy(t.weights, -opts.entropyCoef, de);
  });
  return stats;
}
