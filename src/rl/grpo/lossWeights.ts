/**
 * Per-token aggregation weights of the policy loss (TRL loss_type, docs/methods.md §3.5): the loss is Σ_t w_t ℓ_t.
 *   grpo     mean over sequences of the per-sequence token mean      w = 1 / (|o_i| · N)
 *   bnpo     token mean over the batch                                w = 1 / Σ|o|
 *   dapo     token mean over the whole generation batch               w = 1 / Σ|o|   (same as bnpo when one
 *            optimisation batch is the whole generation batch; with minibatches the normaliser stays global)
 *   dr_grpo  sum divided by a constant                                w = 1 / (N · max_completion_length)
 * Truncated completions get weight 0 when maskTruncated is on (and leave the normalisers).
 */

export type LossType = 'grpo' | 'bnpo' | 'dapo' | 'dr_grpo';

export interface SequenceInfo {
  length: number;
  truncated: boolean;
}

/** Weights per token, concatenated over sequences in order. `globalTokens` is the dapo normaliser (default: this batch). */
export function tokenWeights(
  seqs: readonly SequenceInfo[],
  lossType: LossType,
  opts: { maxCompletionLength: number; maskTruncated: boolean; globalTokens?: number },
): number[] {
  const active = seqs.map((s) => !(opts.maskTruncated && s.truncated) && s.length > 0);
  const nSeq = active.filter(Boolean).length;
  const tokens = seqs.reduce((a, s, i) => a + (active[i] ? s.length : 0), 0);
  const weights: number[] = [];
  seqs.forEach((s, i) => {
    let w = 0;
    if (active[i]) {
      if (lossType === 'grpo') w = 1 / (s.length * nSeq);
      else if (lossType === 'bnpo') w = 1 / tokens;
      else if (lossType === 'dapo') w = 1 / (opts.globalTokens ?? tokens);
      else w = 1 / (seqs.length * opts.maxCompletionLength);
    }
    for (let t = 0; t < s.length; t++) weights.push(w);
  });
  return weights;
}

/**
 * The weights of one generation batch as the trainer splits it into `minibatches` equal optimisation batches, per
 * sequence: each minibatch is weighted on its own (grpo/bnpo/dr_grpo count only its sequences), while the dapo
 * normaliser counts the tokens of the whole generation batch. The inspector recomputes them from the rollouts.
 */
export function generationBatchWeights(
  seqs: readonly SequenceInfo[],
  lossType: LossType,
  opts: { minibatches: number; maxCompletionLength: number; maskTruncated: boolean },
): number[][] {
  const globalTokens = seqs.reduce((a, s) => a + (opts.maskTruncated && s.truncated ? 0 : s.length), 0);
  const perMb = seqs.length / opts.minibatches;
  const out: number[][] = [];
  for (let m = 0; m < opts.minibatches; m++) {
    const part = seqs.slice(m * perMb, (m + 1) * perMb);
    const flat = tokenWeights(part, lossType, { ...opts, globalTokens: Math.max(1, globalTokens) });
    let at = 0;
    for (const s of part) {
      out.push(flat.slice(at, at + s.length));
      at += s.length;
    }
  }
  return out;
}
