/**
 * Per-token aggregation weights of the policy loss (TRL loss_type, docs/methods.md §3.5): the loss of one optimisation
 * minibatch of B sequences is Σ_t w_t ℓ_t.
 *   grpo     mean over the B sequences of the per-sequence token mean   w = 1 / (|o_i| · B)
 *   bnpo     token mean over the minibatch                              w = 1 / Σ|o|
 *   dapo     token mean over the whole generation batch                 w = 1 / Σ|o|   (same as bnpo when one
 *            minibatch is the whole generation batch; with minibatches the normaliser stays global)
 *   dr_grpo  sum divided by a constant                                  w = 1 / (B · max_completion_length)
 * Truncated completions get weight 0 when maskTruncated is on. They leave the token counts (bnpo, dapo) but stay
 * among the B sequences (grpo, dr_grpo), as TRL zeroes their completion mask and keeps them in the batch.
 */

export type LossType = 'grpo' | 'bnpo' | 'dapo' | 'dr_grpo';

export interface SequenceInfo {
  length: number;
  truncated: boolean;
}

interface MaskOptions {
  maskTruncated: boolean;
}

const isActive = (s: SequenceInfo, opts: MaskOptions) => !(opts.maskTruncated && s.truncated) && s.length > 0;

const activeTokens = (seqs: readonly SequenceInfo[], opts: MaskOptions) => seqs.reduce((a, s) => a + (isActive(s, opts) ? s.length : 0), 0);

/** Weights per token of one minibatch, concatenated over its sequences. `globalTokens` is the dapo normaliser (default: this batch). */
export function tokenWeights(
  seqs: readonly SequenceInfo[],
  lossType: LossType,
  opts: MaskOptions & { maxCompletionLength: number; globalTokens?: number },
): number[] {
  const B = seqs.length;
  const tokens = activeTokens(seqs, opts);
  return seqs.flatMap((s) => {
    let w = 0;
    if (isActive(s, opts)) {
      if (lossType === 'grpo') w = 1 / (s.length * B);
      else if (lossType === 'bnpo') w = 1 / tokens;
      else if (lossType === 'dapo') w = 1 / (opts.globalTokens ?? tokens);
      else w = 1 / (B * opts.maxCompletionLength);
    }
    return Array<number>(s.length).fill(w);
  });
}

/**
 * Weights of the entropy bonus of one minibatch: the mean per-token entropy over its (unmasked) completion tokens,
 * whatever the loss type — the quantity TRL reports as `entropy`.
 */
export function entropyWeights(seqs: readonly SequenceInfo[], opts: MaskOptions): number[] {
  const tokens = activeTokens(seqs, opts);
  return seqs.flatMap((s) => Array<number>(s.length).fill(isActive(s, opts) ? 1 / tokens : 0));
}

export interface SplitOptions extends MaskOptions {
  /** Minibatch of each sequence of the generation batch (in generation order). */
  minibatchOf: readonly number[];
  maxCompletionLength: number;
}

/**
 * The weights of one generation batch as the trainer splits it into minibatches, per sequence in generation order:
 * each minibatch is weighted on its own (grpo/bnpo/dr_grpo count only its sequences), while the dapo normaliser
 * counts the tokens of the whole generation batch. The inspector recomputes them from the rollouts.
 */
export function generationBatchWeights(seqs: readonly SequenceInfo[], lossType: LossType, opts: SplitOptions): number[][] {
  const globalTokens = Math.max(1, activeTokens(seqs, opts));
  return perMinibatch(seqs, opts.minibatchOf, (part) => tokenWeights(part, lossType, { ...opts, globalTokens }));
}

/** The entropy-bonus weights of one generation batch, per sequence in generation order (see entropyWeights). */
export function generationBatchEntropyWeights(seqs: readonly SequenceInfo[], opts: SplitOptions): number[][] {
  return perMinibatch(seqs, opts.minibatchOf, (part) => entropyWeights(part, opts));
}

/** Applies a per-minibatch token weighting and hands the weights back per sequence, in generation order. */
function perMinibatch(seqs: readonly SequenceInfo[], minibatchOf: readonly number[], weigh: (part: SequenceInfo[]) => number[]): number[][] {
  if (minibatchOf.length !== seqs.length) throw new Error(`loss weights: ${minibatchOf.length} minibatch indices for ${seqs.length} sequences`);
  const out: number[][] = seqs.map(() => []);
  for (const m of new Set(minibatchOf)) {
    const members = seqs.map((_, i) => i).filter((i) => minibatchOf[i] === m);
    const flat = weigh(members.map((i) => seqs[i]));
    let at = 0;
    for (const i of members) {
      out[i] = flat.slice(at, at + seqs[i].length);
      at += seqs[i].length;
    }
  }
  return out;
}
