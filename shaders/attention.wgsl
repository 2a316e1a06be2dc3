// attention.wgsl: causal attention in three differentiable stages (scores → masked softmax → values) and the
// KV-cache append.
//
// Shapes: q, out [B,T,H,D]; k, v [B,Smax,H,D] of which the first S (= mask kLen) rows are valid keys;
// scores, probs [B,H,T,S]. Query row i is absolute position q_pos0 + i; key j is visible iff
// key_start[b] <= j <= q_pos0 + i (key_start only when has_key_start = 1; otherwise another read buffer is bound
// there and never read).
//   scores[b,h,i,j] = scale · Σ_d q[b,i,h,d]·k[b,j,h,d]   visible, else 0
//   probs[b,h,i,:]  = softmax over the visible keys, exactly 0 elsewhere (all 0 when no key is visible)
//   out[b,i,h,d]    = Σ_{j<S} probs[b,h,i,j]·v[b,j,h,d]
//
// Bindings: 0 params (Params p | RowParams pr); then per entry point:
//   scores_forward        1 key_start, 2 q, 3 k (read), 4 scores (write)        scores overwritten
//   scores_backward_q     1 key_start, 2 dscores, 3 k (read), 4 dq (write)      dq += (visible entries only)
//   scores_backward_k     1 key_start, 2 dscores, 3 q (read), 4 dk (write)      dk += rows j < S (visible only)
//   softmax_forward       1 key_start, 2 scores (read), 3 probs (write)         probs overwritten
//   softmax_backward      1 probs, 2 dprobs (read), 3 dscores (write)           dscores += p ⊙ (dp − Σ p·dp)
//   values_forward        1 probs, 2 v (read), 3 out (write)                    out overwritten
//   values_backward_probs 1 dout, 2 v (read), 3 dprobs (write)                  dprobs +=
//   values_backward_v     1 dout, 2 probs (read), 3 dv (write)                  dv += rows j < S
//   write_rows            1 src (read), 2 cache (write)                         cache[b, offset + t, :] = src[b, t, :]
// Dispatch: groups1d(outputs) with workgroup 256, one invocation per output element; the two softmax entry points
// take one invocation per row (B·H·T) and loop over its S keys. Every output element is written by one invocation
// with a fixed summation order: deterministic, no atomics.

struct Params {
  B: u32,
  T: u32,
  H: u32,
  D: u32,
  S_max: u32,
  S: u32,
  q_pos0: u32,
  has_key_start: u32,
  scale: f32,
}

struct RowParams {
  n: u32,
  T: u32,
  C: u32,
  S_max: u32,
  offset: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(0) var<uniform> pr: RowParams;

// Masked entry points: key_start, two inputs, one output.
@group(0) @binding(1) var<storage, read> key_start: array<i32>;
@group(0) @binding(2) var<storage, read> m_a: array<f32>;
@group(0) @binding(3) var<storage, read> m_b: array<f32>;
@group(0) @binding(4) var<storage, read_write> m_out: array<f32>;
@group(0) @binding(3) var<storage, read_write> m_probs: array<f32>;

// Unmasked entry points: two inputs, one output.
@group(0) @binding(1) var<storage, read> u_a: array<f32>;
@group(0) @binding(2) var<storage, read> u_b: array<f32>;
@group(0) @binding(3) var<storage, read_write> u_out: array<f32>;

// write_rows.
@group(0) @binding(1) var<storage, read> w_src: array<f32>;
@group(0) @binding(2) var<storage, read_write> w_cache: array<f32>;

// Visible keys of query row i in sequence b form the range [first, last] (empty when first > last).
fn first_key(b: u32) -> i32 {
  if (p.has_key_start == 0u) { return 0; }
  return max(key_start[b], 0);
}

fn last_key(i: u32) -> i32 {
  return i32(min(p.q_pos0 + i, p.S - 1u));
}

fn head_index(b: u32, t: u32, h: u32, rows: u32) -> u32 {
  return ((b * rows + t) * p.H + h) * p.D;
}

fn map_index(b: u32, h: u32, i: u32) -> u32 {
  return ((b * p.H + h) * p.T + i) * p.S;
}

// Element e of a [B,rows,H,D] head tensor: q, out (rows = T) or the first S rows of k, v (rows = S).
struct HeadCoord {
  b: u32,
  t: u32,
  h: u32,
  d: u32,
}

fn head_coord(e: u32, rows: u32) -> HeadCoord {
  return HeadCoord(e / (p.D * p.H * rows), (e / (p.D * p.H)) % rows, (e / p.D) % p.H, e % p.D);
}

// Element e of a [B,H,T,S] map (scores, probs): query row i, key j.
struct MapCoord {
  b: u32,
  h: u32,
  i: u32,
  j: u32,
}

fn map_coord(e: u32) -> MapCoord {
  return MapCoord(e / (p.S * p.T * p.H), (e / (p.S * p.T)) % p.H, (e / p.S) % p.T, e % p.S);
}

@compute @workgroup_size(256)
fn scores_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= p.B * p.H * p.T * p.S) { return; }
  let c = map_coord(e);
  var acc = 0.0;
  if (i32(c.j) >= first_key(c.b) && i32(c.j) <= last_key(c.i)) {
    let qi = head_index(c.b, c.i, c.h, p.T);
    let kj = head_index(c.b, c.j, c.h, p.S_max);
    for (var d = 0u; d < p.D; d++) { acc += m_a[qi + d] * m_b[kj + d]; }
  }
  m_out[e] = p.scale * acc;
}

@compute @workgroup_size(256)
fn scores_backward_q(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= p.B * p.T * p.H * p.D) { return; }
  let c = head_coord(e, p.T);
  let row = map_index(c.b, c.h, c.t);
  var acc = 0.0;
  for (var j = first_key(c.b); j <= last_key(c.t); j++) {
    acc += m_a[row + u32(j)] * m_b[head_index(c.b, u32(j), c.h, p.S_max) + c.d];
  }
  m_out[e] = m_out[e] + p.scale * acc;
}

@compute @workgroup_size(256)
fn scores_backward_k(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= p.B * p.S * p.H * p.D) { return; }
  let c = head_coord(e, p.S);
  let j = c.t;
  if (i32(j) < first_key(c.b)) { return; }
  // Key j is visible from every query row at or after position j.
  var acc = 0.0;
  for (var i = select(0u, j - p.q_pos0, j > p.q_pos0); i < p.T; i++) {
    acc += m_a[map_index(c.b, c.h, i) + j] * m_b[head_index(c.b, i, c.h, p.T) + c.d];
  }
  let o = head_index(c.b, j, c.h, p.S_max) + c.d;
  m_out[o] = m_out[o] + p.scale * acc;
}

@compute @workgroup_size(256)
fn softmax_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let r = flat_index(gid, nwg);
  if (r >= p.B * p.H * p.T) { return; }
  let i = r % p.T;
  let b = r / (p.T * p.H);
  let row = r * p.S;
  let lo = first_key(b);
  let hi = last_key(i);
  var m = -3.0e38;
  for (var j = lo; j <= hi; j++) { m = max(m, m_a[row + u32(j)]); }
  var total = 0.0;
  for (var j = lo; j <= hi; j++) { total += exp(m_a[row + u32(j)] - m); }
  // An empty row (every key is left padding) has total 0 and is written as zeros.
  let inv = select(0.0, 1.0 / total, total > 0.0);
  for (var j = 0u; j < p.S; j++) {
    let visible = i32(j) >= lo && i32(j) <= hi;
    m_probs[row + j] = select(0.0, exp(m_a[row + j] - m) * inv, visible);
  }
}

@compute @workgroup_size(256)
fn softmax_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let r = flat_index(gid, nwg);
  if (r >= p.B * p.H * p.T) { return; }
  let row = r * p.S;
  var dot = 0.0;
  for (var j = 0u; j < p.S; j++) { dot += u_a[row + j] * u_b[row + j]; }
  for (var j = 0u; j < p.S; j++) { u_out[row + j] = u_out[row + j] + u_a[row + j] * (u_b[row + j] - dot); }
}

@compute @workgroup_size(256)
fn values_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= p.B * p.T * p.H * p.D) { return; }
  let c = head_coord(e, p.T);
  let row = map_index(c.b, c.h, c.t);
  var acc = 0.0;
  for (var j = 0u; j < p.S; j++) { acc += u_a[row + j] * u_b[head_index(c.b, j, c.h, p.S_max) + c.d]; }
  u_out[e] = acc;
}

@compute @workgroup_size(256)
fn values_backward_probs(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= p.B * p.H * p.T * p.S) { return; }
  let c = map_coord(e);
  let oi = head_index(c.b, c.i, c.h, p.T);
  let vj = head_index(c.b, c.j, c.h, p.S_max);
  var acc = 0.0;
  for (var d = 0u; d < p.D; d++) { acc += u_a[oi + d] * u_b[vj + d]; }
  u_out[e] = u_out[e] + acc;
}

@compute @workgroup_size(256)
fn values_backward_v(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= p.B * p.S * p.H * p.D) { return; }
  let c = head_coord(e, p.S);
  let j = c.t;
  var acc = 0.0;
  for (var i = 0u; i < p.T; i++) { acc += u_b[map_index(c.b, c.h, i) + j] * u_a[head_index(c.b, i, c.h, p.T) + c.d]; }
  let o = head_index(c.b, j, c.h, p.S_max) + c.d;
  u_out[o] = u_out[o] + acc;
}

@compute @workgroup_size(256)
fn write_rows(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= pr.n) { return; }
  let c = e % pr.C;
  let t = (e / pr.C) % pr.T;
  let b = e / (pr.C * pr.T);
  w_cache[(b * pr.S_max + pr.offset + t) * pr.C + c] = w_src[e];
}
