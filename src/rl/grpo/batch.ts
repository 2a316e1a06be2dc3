/**
 * Teacher-forced training batches of (prompt, completion) sequences for the policy loss: inputs are
 * BOS+prompt+completion without the last token, targets are shifted by one, and only rows that predict a
 * completion token carry a weight and an advantage. Positions start at 0 at BOS, as in generation.
 */
import { BOS, PAD } from '../../model/tokenizer';

export interface TrainSequence {
  /** Prompt token ids without BOS. */
  prompt: number[];
  /** Completion token ids (including EOS when the policy emitted it). */
  completion: number[];
  /** Cut off at max_completion_length without EOS (masked out under mask_truncated_completions). */
  truncated: boolean;
  advantage: number;
  /** Seed of the stochastic-activation draws used when the completion was sampled. */
  actSeed: number;
}

export interface PolicyBatch {
  B: number;
  T: number;
  ids: Int32Array;
  targets: Int32Array;
  positions: Int32Array;
  advantages: Float32Array;
  weights: Float32Array;
  /** Per-row weights of the entropy bonus (a mean over the completion tokens). */
  entropyWeights: Float32Array;
  actSeeds: Int32Array;
  /** Row of each completion token, per sequence (to read per-token values back). */
  completionRows: number[][];
}

/**
 * The minibatches of a generation batch of `order.length` sequences taken in the given order (a permutation of the
 * sequence indices; TRL shuffles the generation batch before it splits it): minibatch m holds the indices
 * order[m·n/M .. (m+1)·n/M).
 */
export function splitMinibatches(order: readonly number[], minibatches: number): number[][] {
  const n = order.length;
  const seen = new Set(order);
  if (seen.size !== n || order.some((i) => !Number.isInteger(i) || i < 0 || i >= n)) throw new Error(`minibatch order must be a permutation of 0..${n - 1}`);
  if (n % minibatches !== 0) throw new Error(`${n} sequences do not split into ${minibatches} equal minibatches`);
  const per = n / minibatches;
  return Array.from({ length: minibatches }, (_, m) => order.slice(m * per, (m + 1) * per));
}

/** Per-completion-token loss and entropy-bonus weights are concatenated over the sequences in order. */
export function buildPolicyBatch(seqs: readonly TrainSequence[], tokenWeights: readonly number[], entropyWeights: readonly number[]): PolicyBatch {
  const full = seqs.map((s) => [BOS, ...s.prompt, ...s.completion]);
  const T = Math.max(...full.map((f) => f.length)) - 1;
  const B = seqs.length;
  const batch: PolicyBatch = {
    B,
    T,
    ids: new Int32Array(B * T).fill(PAD),
    targets: new Int32Array(B * T).fill(PAD),
    positions: new Int32Array(B * T),
    advantages: new Float32Array(B * T),
    weights: new Float32Array(B * T),
    entropyWeights: new Float32Array(B * T),
    actSeeds: Int32Array.from(seqs.map((s) => s.actSeed)),
    completionRows: [],
  };
  let w = 0;
  seqs.forEach((s, b) => {
    const seq = full[b];
    const first = s.prompt.length; // row predicting the first completion token (input index of its predecessor)
    const rows: number[] = [];
    for (let t = 0; t < T; t++) {
      const r = b * T + t;
      batch.positions[r] = t;
      if (t + 1 >= seq.length) continue;
      batch.ids[r] = seq[t];
      batch.targets[r] = seq[t + 1];
      if (t >= first) {
        batch.weights[r] = tokenWeights[w];
        batch.entropyWeights[r] = entropyWeights[w++];
        batch.advantages[r] = s.advantage;
        rows.push(r);
      }
    }
    batch.completionRows.push(rows);
  });
  if (w !== tokenWeights.length || w !== entropyWeights.length) {
    throw new Error(`policy batch: ${tokenWeights.length} token and ${entropyWeights.length} entropy weights for ${w} completion tokens`);
  }
  return batch;
}

/**
 * GSPO's sequence mean, f32 [B·T]: each row's tokens that count in the loss (weight ≠ 0) get 1/count, so the
 * row's sum of m·(logp − old) is the mean log-ratio over them (TRL's masked mean; a fully masked row gets ratio 1).
 */
export function sequenceMeanWeights(b: PolicyBatch): Float32Array {
  const m = new Float32Array(b.B * b.T);
  for (const rows of b.completionRows) {
    const kept = rows.filter((r) => b.weights[r] !== 0);
    for (const r of kept) m[r] = 1 / kept.length;
  }
  return m;
}
