// optim.wgsl: global gradient norm, clip factor and the AdamW update, all on the GPU so a whole optimizer
// step (including clipping) records into one submission with no read-back.
//
// Shapes: x, param, grad, m, v are flat arrays of n f32; acc/sumsq f32 [1]; stats/clipStats f32 [2] = [‖g‖, factor].
// Bindings: 0 params (a different struct per entry point, see below); then per entry point:
//   sum_squares   1 x (read), 2 acc (write)            acc[0] += Σ x²                        (accumulates)
//   clip_factor   1 sumsq (read), 2 stats (write)      stats = [sqrt(s), min(1, maxNorm/(sqrt(s)+1e-6))]
//   adamw         1 param (write), 2 grad (read), 3 m (write), 4 v (write), 5 clipStats (read)   (in place)
// Dispatch: sum_squares ONE workgroup of 256; clip_factor one workgroup of 1; adamw groups1d(n), workgroup 256.
//
// Why sum_squares is a single workgroup: a grid-stride loop (fixed element→thread assignment and order) plus a
// fixed-shape tree in workgroup memory gives a bit-identical result every run with no atomics and no scratch
// buffer, and one thread adds the partial to acc[0] so successive calls (one per gradient tensor) chain in
// submission order. A two-stage multi-workgroup reduction would be faster for huge tensors but needs a scratch
// tensor in the kernel contract; the gradients here are model-parameter sized and this runs once per step.

struct SumParams {
  n: u32,
}

struct ClipParams {
  max_norm: f32,
}

struct AdamParams {
  n: u32,
  lr: f32,
  beta1: f32,
  beta2: f32,
  // 1 − β1, 1 − β2, 1 − β1^t and 1 − β2^t come from the host in f64: computed here from the f32 β they would
  // be off by up to 1e-5 relative (f32(0.999) = 0.99900001), which shows in v after a single step.
  one_minus_beta1: f32,
  one_minus_beta2: f32,
  bias1: f32,
  bias2: f32,
  eps: f32,
  weight_decay: f32,
}

@group(0) @binding(0) var<uniform> ps: SumParams;
@group(0) @binding(0) var<uniform> pc: ClipParams;
@group(0) @binding(0) var<uniform> pa: AdamParams;

@group(0) @binding(1) var<storage, read> src1: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst2: array<f32>;

@compute @workgroup_size(256)
fn sum_squares(@builtin(local_invocation_index) lid: u32) {
  var s = 0.0;
  for (var i = lid; i < ps.n; i = i + WG) {
    let x = src1[i];
    s = s + x * x;
  }
  let total = workgroup_sum(lid, s);
  if (lid == 0u) {
    dst2[0] = dst2[0] + total;
  }
}

@compute @workgroup_size(1)
fn clip_factor() {
  let norm = sqrt(src1[0]);
  dst2[0] = norm;
  dst2[1] = min(1.0, pc.max_norm / (norm + 1e-6));
}

@group(0) @binding(1) var<storage, read_write> param: array<f32>;
@group(0) @binding(2) var<storage, read> grad: array<f32>;
@group(0) @binding(3) var<storage, read_write> m: array<f32>;
@group(0) @binding(4) var<storage, read_write> v: array<f32>;
@group(0) @binding(5) var<storage, read> clip_stats: array<f32>;

@compute @workgroup_size(256)
fn adamw(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= pa.n) { return; }
  let g = clip_stats[1] * grad[i];
  let mi = pa.beta1 * m[i] + pa.one_minus_beta1 * g;
  let vi = pa.beta2 * v[i] + pa.one_minus_beta2 * g * g;
  m[i] = mi;
  v[i] = vi;
  let m_hat = mi / pa.bias1;
  let v_hat = vi / pa.bias2;
  let p = param[i];
  param[i] = p - pa.lr * (m_hat / (sqrt(v_hat) + pa.eps) + pa.weight_decay * p);
}
