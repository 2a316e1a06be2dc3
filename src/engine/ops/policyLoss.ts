/** The differentiable clipped policy-gradient loss (the GRPO objective) over per-token log-probs. */
import type { Graph } from '../autograd';
import type { PolicyLossOptions } from '../kernels';
import type { Tensor } from '../tensor';

export interface PolicyLossTensors {
  oldLogp: Tensor;
  refLogp: Tensor;
  advantages: Tensor;
  weights: Tensor;
  /** Sequence-level ratio (GSPO): each token's weight in its row's mean log-ratio, f32 [B, T] (kernels.ts). */
  sequenceMean?: Tensor;
}

/** An entropy bonus −coef·Σ weights·entropy added to the objective (weights: its own aggregation, e.g. a token mean). */
export interface EntropyBonus {
  entropy: Tensor;
  weights: Tensor;
  coef: number;
}

/**
 * Returns stats [3, N] (weighted loss, k3 KL, clip flags per token; see kernels.ts). The fused kernel has the
 * gradient ready, so `stats` must be the root of backward. The entropy bonus enters through the entropy's
 * gradient only: its value is not part of `stats`.
 */
export function policyLoss(g: Graph, logp: Tensor, t: PolicyLossTensors, opts: PolicyLossOptions, bonus: EntropyBonus): Tensor {
  const n = logp.numel;
  const stats = g.alloc([3, n], 'f32', 'policyLoss.stats');
  const dlogp = g.alloc([n], 'f32', 'policyLoss.dlogp');
  g.be.policyLoss({ logp, ...t }, { stats, dlogp }, opts);
  g.record([logp, bonus.entropy], stats, (gradOf) => {
    if (g.root !== stats) throw new Error('policyLoss: its stats must be the root of backward()');
    const dl = gradOf(logp);
    if (dl) g.be.axpy(dlogp, 1, dl);
    const de = gradOf(bonus.entropy);
    if (de && bonus.coef !== 0) g.be.axpy(bonus.weights, -bonus.coef, de);
  });
  return stats;
}
