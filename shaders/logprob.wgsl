// logprob.wgsl: per-row log-softmax statistics of logits at a temperature — the target's log-probability, the
// entropy, their backward, and the fused cross-entropy (loss and gradient in one pass).
//
// One workgroup of 256 invocations per row; each invocation strides over the V columns, partial results are
// combined by tree reductions in workgroup memory (fixed order, so deterministic). With z = logits·invT,
// m = max logits and s = Σ exp((l − m)·invT): log p_j = (l_j − m)·invT − log s, H = log s − Σ e_j (l_j − m)·invT / s.
//
// Shapes: logits, dlogits [N, V]; targets i32 [N] (values must lie in [0, V)); logp, entropy, dlogp, dentropy,
// weights, loss [N].
// Bindings (params {N, V, invT}; invT = 1/temperature, 1 for cross_entropy), 1 logits, 2 targets (read), then:
//   token_logprobs                   3 logp (write)                            logp = log p_target
//   token_logprobs_entropy           3 logp, 4 entropy (write)                 also entropy = −Σ p log p
//   token_logprobs_backward          3 dlogp (read), 4 dlogits (write)         dlogits += invT·dlogp·(onehot − p)
//   token_logprobs_backward_entropy  3 dlogp, 4 dentropy (read), 5 dlogits     ... − invT·dentropy·p·(log p + H)
//   cross_entropy                    3 weights (read), 4 loss, 5 dlogits (write)
//                                    loss = −w·log p_target, dlogits = w·(p − onehot) (both OVERWRITTEN)
// Backward entry points accumulate into dlogits. Dispatch: groups1d(N, 1) workgroups of 256 (one per row).

struct Params {
  N: u32,
  V: u32,
  invT: f32,
}

@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read> targets: array<i32>;

var<workgroup> red_a: array<f32, 256>;
var<workgroup> red_b: array<f32, 256>;

fn reduce_max(lid: u32, v: f32) -> f32 {
  red_a[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s >> 1u) {
    if (lid < s) { red_a[lid] = max(red_a[lid], red_a[lid + s]); }
    workgroupBarrier();
  }
  let r = red_a[0];
  workgroupBarrier();
  return r;
}

fn reduce_sum2(lid: u32, v: vec2<f32>) -> vec2<f32> {
  red_a[lid] = v.x;
  red_b[lid] = v.y;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s >> 1u) {
    if (lid < s) {
      red_a[lid] = red_a[lid] + red_a[lid + s];
      red_b[lid] = red_b[lid] + red_b[lid + s];
    }
    workgroupBarrier();
  }
  let r = vec2<f32>(red_a[0], red_b[0]);
  workgroupBarrier();
  return r;
}

// Row `row` starts at logits[base] and its target is column `tgt`.
struct RowStats {
  base: u32,
  tgt: u32,
  max_logit: f32,
  log_sum: f32,
  entropy: f32,
}

// Collective: every invocation of the workgroup must call it (it contains barriers).
fn row_stats(row: u32, lid: u32) -> RowStats {
  let base = row * prm.V;
  var m = logits[base];
  for (var j = lid; j < prm.V; j = j + WG) { m = max(m, logits[base + j]); }
  m = reduce_max(lid, m);
  var acc = vec2<f32>(0.0, 0.0);
  for (var j = lid; j < prm.V; j = j + WG) {
    let d = (logits[base + j] - m) * prm.invT;
    let e = exp(d);
    acc = acc + vec2<f32>(e, e * d);
  }
  acc = reduce_sum2(lid, acc);
  let log_sum = log(acc.x);
  return RowStats(base, u32(targets[row]), m, log_sum, log_sum - acc.y / acc.x);
}

fn log_prob(st: RowStats, j: u32) -> f32 {
  return (logits[st.base + j] - st.max_logit) * prm.invT - st.log_sum;
}

// ∂(gl·log p_t + gh·H)/∂logits_j = invT·(gl·(δ_jt − p_j) − gh·p_j·(log p_j + H)).
fn dlogit(st: RowStats, j: u32, gl: f32, gh: f32) -> f32 {
  let lp = log_prob(st, j);
  let p = exp(lp);
  let onehot = select(0.0, 1.0, j == st.tgt);
  return prm.invT * (gl * (onehot - p) - gh * p * (lp + st.entropy));
}

@group(0) @binding(3) var<storage, read_write> logp: array<f32>;

@compute @workgroup_size(256)
fn token_logprobs(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                  @builtin(local_invocation_index) lid: u32) {
  let row = workgroup_index(wid, nwg);
  if (row >= prm.N) { return; }
  let st = row_stats(row, lid);
  if (lid == 0u) { logp[row] = log_prob(st, st.tgt); }
}

@group(0) @binding(4) var<storage, read_write> entropy: array<f32>;

@compute @workgroup_size(256)
fn token_logprobs_entropy(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                          @builtin(local_invocation_index) lid: u32) {
  let row = workgroup_index(wid, nwg);
  if (row >= prm.N) { return; }
  let st = row_stats(row, lid);
  if (lid == 0u) {
    logp[row] = log_prob(st, st.tgt);
    entropy[row] = st.entropy;
  }
}

@group(0) @binding(3) var<storage, read> dlogp: array<f32>;
@group(0) @binding(4) var<storage, read_write> dlogits4: array<f32>;

@compute @workgroup_size(256)
fn token_logprobs_backward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                           @builtin(local_invocation_index) lid: u32) {
  let row = workgroup_index(wid, nwg);
  if (row >= prm.N) { return; }
  let st = row_stats(row, lid);
  for (var j = lid; j < prm.V; j = j + WG) {
    dlogits4[st.base + j] = dlogits4[st.base + j] + dlogit(st, j, dlogp[row], 0.0);
  }
}

@group(0) @binding(4) var<storage, read> dentropy: array<f32>;
@group(0) @binding(5) var<storage, read_write> dlogits5: array<f32>;

@compute @workgroup_size(256)
fn token_logprobs_backward_entropy(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                                   @builtin(local_invocation_index) lid: u32) {
  let row = workgroup_index(wid, nwg);
  if (row >= prm.N) { return; }
  let st = row_stats(row, lid);
  for (var j = lid; j < prm.V; j = j + WG) {
    dlogits5[st.base + j] = dlogits5[st.base + j] + dlogit(st, j, dlogp[row], dentropy[row]);
  }
}

@group(0) @binding(3) var<storage, read> weights: array<f32>;
@group(0) @binding(4) var<storage, read_write> loss: array<f32>;

@compute @workgroup_size(256)
fn cross_entropy(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                 @builtin(local_invocation_index) lid: u32) {
  let row = workgroup_index(wid, nwg);
  if (row >= prm.N) { return; }
  let st = row_stats(row, lid);
  let w = weights[row];
  if (lid == 0u) { loss[row] = -w * log_prob(st, st.tgt); }
  // d(−w·log p_t)/dlogits_j with invT = 1 is w·(p_j − δ_jt).
  for (var j = lid; j < prm.V; j = j + WG) { dlogits5[st.base + j] = dlogit(st, j, -w, 0.0); }
}
