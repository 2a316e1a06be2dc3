/** Differentiable token log-probabilities (the GRPO path) and the fused cross-entropy (the SFT path). */
import type { Graph } from '../autograd';
import type { Tensor } from '../tensor';

export interface TokenLogprobs {
  /** log π(target | prefix) per row [N] */
  logp: Tensor;
  /** entropy of the tempered distribution per row [N] */
  entropy: Tensor;
}

/** logits [N,V] and targets (i32 [N]) → per-row log-prob and entropy at `temperature`, both differentiable. */
export function tokenLogprobs(g: Graph, logits: Tensor, targets: Tensor, temperature = 1): TokenLogprobs {
  const n = logits.shape[0];
  const logp = g.alloc([n], 'f32', 'logp');
  const entropy = g.alloc([n], 'f32', 'entropy');
  g.be.tokenLogprobs(logits, targets, logp, entropy, temperature);
  // Both outputs share one backward: it runs when the later-recorded output (entropy) is reached on the tape,
  // after every consumer of logp and entropy has accumulated into their gradients.
  g.record([logits], logp, () => {});
  g.record([logits], entropy, (gradOf) =>
    g.be.tokenLogprobsBackward(logits, targets, gradOf(logp)!, gradOf(entropy)!, gradOf(logits)!, temperature),
  );
  return { logp, entropy };
}

/**
 * Weighted cross-entropy rows loss[n] = −weights[n]·log softmax(logits[n])[targets[n]]. The fused kernel
 * computes d(Σ loss)/d logits in the forward pass, so the returned rows must be the root of `backward`
 * (every row with gradient 1); fold normalisation (e.g. 1/number of answer tokens) into `weights`.
 */
export function crossEntropy(g: Graph, logits: Tensor, targets: Tensor, weights: Tensor): Tensor {
  const loss = g.alloc([logits.shape[0]], 'f32', 'xent.loss');
  const dlogits = g.alloc(logits.shape, 'f32', 'xent.dlogits');
  g.be.crossEntropy(logits, targets, weights, loss, dlogits);
  g.record([logits], loss, (gradOf) => {
    if (g.root !== loss) throw new Error('crossEntropy: its loss rows must be the root of backward()');
    g.be.axpy(dlogits, 1, gradOf(logits)!);
  });
  return loss;
}
