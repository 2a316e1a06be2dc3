// policy_loss.wgsl: the GRPO / PPO clipped surrogate per completion token, fused with its gradient; the importance
// ratio per token (GRPO) or per sequence (GSPO).
//
// Per token t (arrays f32 [N]):
//   token level:    r = exp(logp − old)
//   sequence level: rows of T tokens (N = B·T); every token of row b shares r = exp(Σ_row m·(logp − old)), m the
//                   token's weight in its row's mean log-ratio (1/n on the n counted tokens, 0 elsewhere)
//   r' = min(r, delta) when twoSided, else r          (two-sided clipping; delta > 1 + epsHigh binds only for A < 0)
//   surrogate = min(r'·A, clip(r, 1−epsLow, 1+epsHigh)·A);  g = −A·r if r'·A is the min and r' = r, else 0
//   kl = exp(ref − logp) − (ref − logp) − 1                     (k3 estimator, ≥ 0)
//   loss = w · (−surrogate + beta·kl)
//   dlogp = w·g (token level) or m · Σ_row w·g (sequence level: ∂r/∂logp_t = r·m_t) + w·beta·(1 − exp(ref − logp))
//   clipped = −1 if r < 1−epsLow and A < 0; +1 if r > 1+epsHigh and A > 0; else 0   (TRL's clip_ratio metrics)
// Bindings (params {n, epsLow, epsHigh, beta, delta, twoSided, rowLength, sequenceLevel}):
//   1 logp, 2 old, 3 ref, 4 adv, 5 w, 6 m (read; at token level any f32 [N], unread); 7 stats [3, N] =
//   (loss, kl, clipped), 8 dlogp (write, overwritten: the gradient of Σ loss, which must be the root of backward).
// Dispatch: groups1d(N), workgroup 256. At sequence level each thread walks its row twice (2·T reads of 4 arrays).

struct Params {
  n: u32,
  epsLow: f32,
  epsHigh: f32,
  beta: f32,
  delta: f32,
  twoSided: u32,
  rowLength: u32,
  sequenceLevel: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> logp: array<f32>;
@group(0) @binding(2) var<storage, read> old_logp: array<f32>;
@group(0) @binding(3) var<storage, read> ref_logp: array<f32>;
@group(0) @binding(4) var<storage, read> adv: array<f32>;
@group(0) @binding(5) var<storage, read> weight: array<f32>;
@group(0) @binding(6) var<storage, read> seq_mean: array<f32>;
@group(0) @binding(7) var<storage, read_write> stats: array<f32>;
@group(0) @binding(8) var<storage, read_write> dlogp: array<f32>;

// The unclipped branch, its ratio capped at delta under two-sided clipping.
fn unclipped_term(r: f32, a: f32) -> f32 {
  var capped = r;
  if (p.twoSided != 0u) { capped = min(r, p.delta); }
  return capped * a;
}

fn clipped_term(r: f32, a: f32) -> f32 {
  return clamp(r, 1.0 - p.epsLow, 1.0 + p.epsHigh) * a;
}

// ∂surrogate/∂log r: the unclipped branch's when it is the min (ties included) and the delta cap does not bind.
fn surrogate_grad(r: f32, a: f32) -> f32 {
  let capped = p.twoSided != 0u && r > p.delta;
  if (unclipped_term(r, a) <= clipped_term(r, a) && !capped) { return -a * r; }
  return 0.0;
}

@compute @workgroup_size(256)
fn policy_loss(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= p.n) { return; }
  let a = adv[i];
  let w = weight[i];
  let sequence = p.sequenceLevel != 0u;
  let start = (i / p.rowLength) * p.rowLength;
  var log_ratio = logp[i] - old_logp[i];
  if (sequence) {
    log_ratio = 0.0;
    for (var j = start; j < start + p.rowLength; j++) { log_ratio += seq_mean[j] * (logp[j] - old_logp[j]); }
  }
  let r = exp(log_ratio);
  var g = w * surrogate_grad(r, a);
  if (sequence) {
    var spread = 0.0;
    for (var j = start; j < start + p.rowLength; j++) { spread += weight[j] * surrogate_grad(r, adv[j]); }
    g = seq_mean[i] * spread;
  }
  let d = ref_logp[i] - logp[i];
  let k = exp(d) - d - 1.0;
  stats[i] = w * (-min(unclipped_term(r, a), clipped_term(r, a)) + p.beta * k);
  stats[p.n + i] = k;
  var c = 0.0;
  if (r < 1.0 - p.epsLow && a < 0.0) { c = -1.0; }
  if (r > 1.0 + p.epsHigh && a > 0.0) { c = 1.0; }
  stats[2u * p.n + i] = c;
  dlogp[i] = g + w * p.beta * (1.0 - exp(d));
}
