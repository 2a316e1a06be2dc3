// policy_loss.wgsl: the GRPO / PPO clipped surrogate per completion token, fused with its gradient.
//
// Per token t (arrays f32 [N]):
//   r = exp(logp − old);  surrogate = min(r·A, clip(r, 1−epsLow, 1+epsHigh)·A)
//   kl = exp(ref − logp) − (ref − logp) − 1                     (k3 estimator, ≥ 0)
//   loss = w · (−surrogate + beta·kl)
//   dlogp = w · (−A·r·[the unclipped branch is the min] + beta·(1 − exp(ref − logp)))
//   clipped = −1 if r < 1−epsLow and A < 0; +1 if r > 1+epsHigh and A > 0; else 0   (TRL's clip_ratio metrics)
// Bindings (params {n, epsLow, epsHigh, beta}):
//   1 logp, 2 old, 3 ref, 4 adv, 5 w (read); 6 stats [3, N] = (loss, kl, clipped), 7 dlogp (write, overwritten:
//   the gradient of Σ loss, which must be the root of backward).
// Dispatch: groups1d(N), workgroup 256.

struct Params {
  n: u32,
  epsLow: f32,
  epsHigh: f32,
  beta: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> logp: array<f32>;
@group(0) @binding(2) var<storage, read> old_logp: array<f32>;
@group(0) @binding(3) var<storage, read> ref_logp: array<f32>;
@group(0) @binding(4) var<storage, read> adv: array<f32>;
@group(0) @binding(5) var<storage, read> weight: array<f32>;
@group(0) @binding(6) var<storage, read_write> stats: array<f32>;
@group(0) @binding(7) var<storage, read_write> dlogp: array<f32>;

@compute @workgroup_size(256)
fn policy_loss(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= p.n) { return; }
  let a = adv[i];
  let w = weight[i];
  let r = exp(logp[i] - old_logp[i]);
  let unclipped = r * a;
  let clipped_term = clamp(r, 1.0 - p.epsLow, 1.0 + p.epsHigh) * a;
  let d = ref_logp[i] - logp[i];
  let k = exp(d) - d - 1.0;
  stats[i] = w * (-min(unclipped, clipped_term) + p.beta * k);
  stats[p.n + i] = k;
  var c = 0.0;
  if (r < 1.0 - p.epsLow && a < 0.0) { c = -1.0; }
  if (r > 1.0 + p.epsHigh && a > 0.0) { c = 1.0; }
  stats[2u * p.n + i] = c;
  var g = 0.0;
  if (unclipped <= clipped_term) { g = -a * r; }
  dlogp[i] = w * (g + p.beta * (1.0 - exp(d)));
}
