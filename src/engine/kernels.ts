/**
 * The kernel contract shared by both backends. Every kernel is destination-passing: outputs are tensors the
 * caller allocated. Forward kernels overwrite their outputs; backward kernels ACCUMULATE into their gradient
 * outputs (`d* +=`), so callers zero gradient buffers once per step (llm.c convention).
 *
 * Shape letters: B batch, T (query) time, S key time, H heads, D head dim, C channels, V vocabulary, N rows.
 * Unless noted, tensors are f32 and contiguous row-major. Kernels validate shapes and throw a ShapeError
 * that names the kernel and the offending shapes.
 *
 * The `cpu` backend implements this with plain loops (the oracle); `webgpu` records a dispatch of the WGSL
 * kernel of the same family into the current command encoder (nothing runs until `flush`/`read`).
 */
import type { Tensor } from './tensor';

/** FFN activations, plus sigmoid for gates (MTA's output gate). */
export type ActivationKind = 'relu' | 'silu' | 'gelu' | 'sigmoid';

/** Stochastic activation stochA(p) (docs/methods.md §2.1): per element, SILU with probability p, else RELU. */
export interface StochasticActivation {
  /** Probability of choosing SILU. */
  p: number;
  /** 'negOnly': draw only where x < 0 (for x ≥ 0 both branches equal x); 'all': draw everywhere. */
  region: 'negOnly' | 'all';
  /** RNG stream of the draws (the layer index), so layers draw independently. */
  stream: number;
  /**
   * What one Bernoulli draw covers: 'element' (each unit of each token, the default), 'token' (all units of a
   * token share it) or 'layer' (the whole sequence shares one draw per layer).
   */
  granularity: 'element' | 'token' | 'layer';
}

/** Codes of the draw granularities in the WGSL params (see shaders/stochastic.wgsl). */
export const GRANULARITY_CODE = { element: 0, token: 1, layer: 2 } as const;

/** Per-token inputs of the clipped policy-gradient loss (all f32 [N], one entry per completion token). */
export interface PolicyLossInputs {
  /** log π_θ(token) under the current parameters (the differentiable input). */
  logp: Tensor;
  /** log π_old(token) of the policy that sampled it (the importance-ratio denominator). */
  oldLogp: Tensor;
  /** log π_ref(token) of the frozen reference policy (used when beta > 0). */
  refLogp: Tensor;
  /** Advantage of the token's completion. */
  advantages: Tensor;
  /** Aggregation weight of each token (mask × the loss type's normaliser); 0 excludes a token. */
  weights: Tensor;
  /**
   * Sequence-level ratio (GSPO) when given: f32 [B, T] with B·T = N, one row per sequence, each token's weight in
   * its row's mean log-ratio (1/n on the row's n counted tokens, 0 elsewhere). Every token of row b then takes the
   * ratio exp(Σ_row m·(logp − old)), clipped once, and the surrogate's gradient spreads back through the mean.
   */
  sequenceMean?: Tensor;
}

export interface PolicyLossOutputs {
  /**
   * f32 [3, N]: row 0 the weighted loss w·(−min(min(r, δ)·A, clip(r, 1−εlow, 1+εhigh)·A) + β·KL); row 1 the k3 estimate
   * of KL(π_θ ‖ π_ref), exp(ref − logp) − (ref − logp) − 1; row 2 −1 where the ratio was clipped below
   * (r < 1−εlow, A < 0), +1 above (r > 1+εhigh, A > 0), else 0. Packed so the kernel stays within WebGPU's
   * default of 8 storage buffers per stage.
   */
  stats: Tensor;
  /** ∂(Σ loss)/∂logp (overwritten). */
  dlogp: Tensor;
}

export interface PolicyLossOptions {
  epsLow: number;
  epsHigh: number;
  beta: number;
  /** Two-sided clipping: the unclipped branch's ratio is capped at δ (> 1 + εhigh, so only A < 0 feels it); null = off. */
  delta: number | null;
}

export interface MatmulOptions {
  /** Read A as its transpose: A is stored [.., K, M]. */
  transA?: boolean;
  /** Read B as its transpose: B is stored [.., N, K] (PyTorch Linear weight layout). */
  transB?: boolean;
  /** Multiply the product by alpha (default 1). */
  alpha?: number;
  /** out += alpha·op(A)·op(B) instead of out = alpha·op(A)·op(B). */
  accumulate?: boolean;
}

/** Which keys a query may attend to. Query i of batch b sits at absolute position qPos0 + i. */
export interface AttentionMask {
  /** Absolute position of the first query row (0 for a full sequence, cache length when decoding). */
  qPos0: number;
  /** Number of valid keys S (≤ the key tensor's time dimension, which may be a larger KV cache). */
  kLen: number;
  /** Optional i32 [B]: first valid key of each sequence (left padding before it is masked out). */
  keyStart?: Tensor;
}

/**
 * Key-axis zero padding of the MTA key-query convolution (docs/methods.md §1.2 step 2b): 'both' pads (c_k−1)/2 on each
 * side (c_k odd), 'left' pads c_k−1 before the first key, 'right' pads c_k−1 after the last one.
 */
export type MtaPadKey = 'both' | 'left' | 'right';

/**
 * Head mixing at every (b,i,j) of a [B,H,T,S] map, within groups of `groupSize` consecutive heads.
 * weight is [H/groupSize, groupSize, groupSize] (or [H,H] when groupSize = H). For group g, with
 * x_in = x[g·groupSize + in] and out_o = out[g·groupSize + o]:
 * - 'linear' (nn.Linear, the pre-softmax `wpsm`): out_o = Σ_in weight[g, o, in] · x_in;
 * - 'inOut' (the official post-softmax `head_kernel` K_g[in, out]): out_o = Σ_in weight[g, in, o] · x_in —
 *   the TRANSPOSE of 'linear'.
 */
export interface HeadMixOptions {
  groupSize: number;
  layout: 'linear' | 'inOut';
}

export interface SampleOptions {
  /** Softmax temperature; ignored when greedy. */
  temperature: number;
  /** Keep only the k most likely tokens (0 = off). */
  topK: number;
  /** Keep the smallest set of most likely tokens whose mass reaches topP (1 = off). */
  topP: number;
  greedy: boolean;
}

export interface RngKey {
  seed: number;
  stream: number;
  /** Counter of element 0; element i uses counter + i. */
  counter: number;
}

export interface AdamWOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** 1-based step number, for bias correction. */
  step: number;
}

export interface Kernels {
  // ---- elementwise.wgsl ----------------------------------------------------------------------------
  /** out = a + b (same shape). */
  add(a: Tensor, b: Tensor, out: Tensor): void;
  /** out = a * b (same shape). */
  mul(a: Tensor, b: Tensor, out: Tensor): void;
  /** out = s * a. */
  scale(a: Tensor, s: number, out: Tensor): void;
  /** dst += alpha * src (gradient accumulation, residual backward). src and dst must differ. */
  axpy(src: Tensor, alpha: number, dst: Tensor): void;
  /** Backward of out = a*b: da += dout*b, db += dout*a (either may be null). */
  mulBackward(dout: Tensor, a: Tensor, b: Tensor, da: Tensor | null, db: Tensor | null): void;
  /** Fill a tensor with a constant (f32 tensors; use for seeding dloss = 1). */
  fill(out: Tensor, value: number): void;

  // ---- matmul.wgsl ---------------------------------------------------------------------------------
  /**
   * out[b] = alpha · op(A[b]) · op(B[b]). A is [M,K] or [Bt,M,K] (transA: [K,M] / [Bt,K,M]); B is [K,N] or
   * [Bt,K,N] (transB: [N,K] / [Bt,N,K]); out is [M,N] or [Bt,M,N]. A 2-D operand is broadcast over the batch.
   * out must not share memory with a or b.
   */
  matmul(a: Tensor, b: Tensor, out: Tensor, opts?: MatmulOptions): void;

  // ---- reduce.wgsl ---------------------------------------------------------------------------------
  /** Sum over `axis`: x viewed as [outer, n, inner] → out [outer, inner] (out shape = x shape without axis). */
  sum(x: Tensor, axis: number, out: Tensor): void;
  /** Mean over `axis` (same shapes as sum; the axis must be non-empty, as for max). */
  mean(x: Tensor, axis: number, out: Tensor): void;
  /** Max over `axis`; argmax (i32, same shape as out) receives the first index of the maximum. */
  max(x: Tensor, axis: number, out: Tensor, argmax: Tensor): void;
  /** dx += dout broadcast along axis, times `factor` (1 for sum, 1/n for mean). */
  broadcastBackward(dout: Tensor, axis: number, factor: number, dx: Tensor): void;
  /** dx[argmax] += dout along axis. */
  maxBackward(dout: Tensor, argmax: Tensor, axis: number, dx: Tensor): void;

  // ---- norm.wgsl -----------------------------------------------------------------------------------
  /** RMSNorm over the last axis: out = x · rstd · w, rstd[n] = 1/sqrt(mean(x[n]²) + eps). x,out [N,C], w [C], rstd [N]. */
  rmsnorm(x: Tensor, w: Tensor, out: Tensor, rstd: Tensor, eps: number): void;
  /** dx += ∂L/∂x, dw += ∂L/∂w given dout and the forward's rstd. */
  rmsnormBackward(dout: Tensor, x: Tensor, w: Tensor, rstd: Tensor, dx: Tensor, dw: Tensor): void;

  // ---- rope.wgsl -----------------------------------------------------------------------------------
  /**
   * Rotary position embedding on x [B,T,H,D] (D even, pairs (2i, 2i+1)), angle pos·theta^(-2i/D) with pos =
   * positions[b,t] (i32 [B,T]). `inverse` rotates by −angle (that is the backward). `accumulate`: out += result.
   */
  rope(x: Tensor, positions: Tensor, out: Tensor, theta: number, inverse: boolean, accumulate: boolean): void;

  // ---- attention.wgsl ------------------------------------------------------------------------------
  /**
   * scores[b,h,i,j] = scale · q[b,i,h,:]·k[b,j,h,:] for visible (i,j), 0 where masked (the MTA "Mask_0" form).
   * q [B,T,H,D], k [B,Smax,H,D] (only the first mask.kLen keys are read), scores [B,H,T,kLen]. Key j is visible
   * from query row i iff keyStart[b] ≤ j ≤ qPos0 + i. Requires kLen ≤ Smax and qPos0 + T ≤ kLen.
   */
  attnScores(q: Tensor, k: Tensor, scores: Tensor, scale: number, mask: AttentionMask): void;
  /** dq += scale · dS·k, dk += scale · dSᵀ·q over visible entries only (dk rows ≥ kLen are left untouched). */
  attnScoresBackward(dscores: Tensor, q: Tensor, k: Tensor, dq: Tensor, dk: Tensor, scale: number, mask: AttentionMask): void;
  /**
   * Row softmax of scores [B,H,T,S] (S = mask.kLen) over visible keys; masked probabilities are exactly 0 and a
   * row with no visible key (keyStart past its position) is all 0. Score values at masked entries are ignored.
   */
  attnSoftmax(scores: Tensor, probs: Tensor, mask: AttentionMask): void;
  /** dscores += p ⊙ (dp − Σ_j p·dp) (masked entries, where p = 0, get 0). */
  attnSoftmaxBackward(probs: Tensor, dprobs: Tensor, dscores: Tensor): void;
  /** out[b,i,h,:] = Σ_{j<S} probs[b,h,i,j] · v[b,j,h,:]. probs [B,H,T,S], v [B,Smax,H,D] (S ≤ Smax), out [B,T,H,D]. */
  attnValues(probs: Tensor, v: Tensor, out: Tensor): void;
  /** dprobs += dout·vᵀ, dv += probsᵀ·dout (dv rows ≥ S are left untouched). */
  attnValuesBackward(dout: Tensor, probs: Tensor, v: Tensor, dprobs: Tensor, dv: Tensor): void;
  /** KV-cache append: cache[b, offset + t, :] = src[b, t, :]. src [B,T,C], cache [B,Smax,C] (f32), offset + T ≤ Smax. */
  writeRows(src: Tensor, cache: Tensor, offset: number): void;

  // ---- activation.wgsl -----------------------------------------------------------------------------
  /** out = act(x); gelu is the tanh approximation. */
  activation(x: Tensor, out: Tensor, kind: ActivationKind): void;
  /** dx += act'(x) · dout. */
  activationBackward(x: Tensor, dout: Tensor, dx: Tensor, kind: ActivationKind): void;

  // ---- stochastic.wgsl ----------------------------------------------------------------------------
  /**
   * stochA on x, out [B·T, F]. The draw of element (n, f) is uniformAt(seeds[b], act.stream, c) with
   * c = positions[n]·F + f ('element'), positions[n]·F ('token') or 0 ('layer'),
   * < p with b = n / T: keyed by (sequence seed, layer, position, unit), so a rollout's masks replay exactly
   * when the trainer recomputes its log-probs. seeds i32 [B], positions i32 [B·T] (or [B,T]).
   */
  stochActivation(x: Tensor, out: Tensor, seeds: Tensor, positions: Tensor, act: StochasticActivation): void;
  /** dx += dout · (SILU'(x) where SILU was drawn, else RELU'(x)), replaying the same draws. */
  stochActivationBackward(x: Tensor, dout: Tensor, dx: Tensor, seeds: Tensor, positions: Tensor, act: StochasticActivation): void;

  // ---- embedding.wgsl ------------------------------------------------------------------------------
  /**
   * out[n,:] = table[ids[n],:]. ids i32 [N] (values in [0,V)), table [V,C], out [N,C]. The cpu backend throws a
   * RangeError on an id outside [0,V); the GPU cannot, so there such a row is zeros (and gets no gradient).
   */
  embedding(ids: Tensor, table: Tensor, out: Tensor): void;
  /** dtable[ids[n],:] += dout[n,:] (scatter-add, rows added in increasing n: deterministic, no atomics). */
  embeddingBackward(ids: Tensor, dout: Tensor, dtable: Tensor): void;

  // ---- logprob.wgsl --------------------------------------------------------------------------------
  /**
   * Per row of logits [N,V] at temperature T (z = logits/T): logp[n] = log_softmax(z)[targets[n]] and
   * entropy[n] = −Σ p log p. targets i32 [N] with values in [0,V); logp, entropy [N]; entropy may be null.
   */
  tokenLogprobs(logits: Tensor, targets: Tensor, logp: Tensor, entropy: Tensor | null, temperature: number): void;
  /** dlogits += ∂(Σ dlogp·logp + Σ dentropy·entropy)/∂logits. dentropy may be null. */
  tokenLogprobsBackward(
    logits: Tensor,
    targets: Tensor,
    dlogp: Tensor,
    dentropy: Tensor | null,
    dlogits: Tensor,
    temperature: number,
  ): void;
  /**
   * Fused cross-entropy: loss[n] = −weights[n]·log_softmax(logits[n])[targets[n]] and, in the same pass,
   * dlogits[n] = weights[n]·(softmax(logits[n]) − onehot(targets[n])) (overwritten, not accumulated; this is
   * the gradient of Σ loss). weights [N] masks/normalises rows (0 = ignore).
   */
  crossEntropy(logits: Tensor, targets: Tensor, weights: Tensor, loss: Tensor, dlogits: Tensor): void;

  // ---- sample.wgsl ---------------------------------------------------------------------------------
  /**
   * One categorical draw per row of logits [N,V] → ids i32 [N] (overwritten). Greedy takes the first argmax.
   * Otherwise p = softmax(logits / temperature), tokens are ranked by p descending (ties to the lower index),
   * top-k keeps rank < topK and top-p keeps a token when the mass of p ranked strictly before it is < topP (so
   * the filters intersect and the top token always survives). With u = uniformAt(seed, stream, key.counter + n),
   * row n draws the first kept token in index order whose cumulative kept mass exceeds u · (total kept mass).
   */
  sample(logits: Tensor, ids: Tensor, opts: SampleOptions, key: RngKey): void;

  // ---- rng.wgsl ------------------------------------------------------------------------------------
  /** out[i] = uniformAt(seed, stream, counter + i) (f32 in [0,1)). */
  uniform(out: Tensor, key: RngKey): void;

  // ---- policy_loss.wgsl -----------------------------------------------------------------------------
  /** The GRPO/PPO clipped surrogate with k3 KL penalty, per token, with its gradient in the same pass. */
  policyLoss(inputs: PolicyLossInputs, outputs: PolicyLossOutputs, opts: PolicyLossOptions): void;

  // ---- log_sigmoid.wgsl ----------------------------------------------------------------------------
  /**
   * out = log σ(x) = min(x, 0) − log(1 + e^(−|x|)), elementwise over f32 tensors of one shape. This form never
   * evaluates e^t for t > 0, so it is finite for any finite x (log σ(−80) = −80, log σ(80) ≈ −1.8e−35).
   */
  logSigmoid(x: Tensor, out: Tensor): void;
  /** dx += dout · σ(−x), the derivative of log σ at x. */
  logSigmoidBackward(x: Tensor, dout: Tensor, dx: Tensor): void;

  // ---- optim.wgsl ----------------------------------------------------------------------------------
  /**
   * acc[0] += Σ x² (acc f32 [1]); call once per gradient tensor to build a global squared norm. Deterministic
   * (fixed summation order, no atomics) for any size of x.
   */
  sumSquares(x: Tensor, acc: Tensor): void;
  /**
   * From sumsq [1]: stats[0] = ‖g‖ = sqrt(sumsq), stats[1] = min(1, maxNorm / (‖g‖ + 1e-6)) (the clip factor);
   * stats f32 [2]. maxNorm must be > 0; Infinity disables clipping (factor 1) while still reporting the norm.
   */
  clipFactor(sumsq: Tensor, stats: Tensor, maxNorm: number): void;
  /**
   * AdamW with decoupled weight decay and bias correction. The gradient is first multiplied by clipStats[1]
   * (f32 [2] from clipFactor, or [0, 1] for no clipping): g' = clipStats[1]·g; m = β1·m + (1−β1)·g';
   * v = β2·v + (1−β2)·g'²; p −= lr·(m/(1−β1^t) / (sqrt(v/(1−β2^t)) + eps) + wd·p).
   */
  adamw(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, clipStats: Tensor, opts: AdamWOptions): void;

  // ---- mta.wgsl ------------------------------------------------------------------------------------
  /**
   * Multi-Token Attention key-query convolution (docs/methods.md §1.2 steps 2 and 5), depthwise per head over a map
   * x [B,H,T,S] (S = mask.kLen; map row i is query position mask.qPos0 + i) with kernel [H, c_q, c_k]:
   * out[b,h,i,j] = Σ_{a<c_q} Σ_{c<c_k} kernel[h,a,c] · x̃[b,h, i−(c_q−1)+a, j−pk+c], pk = (c_k−1)/2 | c_k−1 | 0
   * for padKey 'both' | 'left' | 'right' (PyTorch cross-correlation order). x̃ is x with masked entries (future
   * keys, keys before keyStart) and everything outside the map (rows above row 0 included) read as 0. Masked
   * output entries are written as exactly 0 (no renormalisation). Identity: kernel[h, c_q−1, pk] = 1.
   */
  mtaConv(x: Tensor, kernel: Tensor, out: Tensor, mask: AttentionMask, padKey: MtaPadKey): void;
  /** dx += ∂L/∂x (non-zero only at visible entries), dkernel += ∂L/∂kernel; dout at masked entries is ignored. */
  mtaConvBackward(
    dout: Tensor,
    x: Tensor,
    kernel: Tensor,
    dx: Tensor,
    dkernel: Tensor,
    mask: AttentionMask,
    padKey: MtaPadKey,
  ): void;
  /** Head mixing of x [B,H,T,S] into out [B,H,T,S] (see HeadMixOptions for the two weight layouts). */
  headMix(x: Tensor, weight: Tensor, out: Tensor, opts: HeadMixOptions): void;
  /** dx += ∂L/∂x, dweight += ∂L/∂weight (same layout as weight). */
  headMixBackward(dout: Tensor, x: Tensor, weight: Tensor, dx: Tensor, dweight: Tensor, opts: HeadMixOptions): void;
}
