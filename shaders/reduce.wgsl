// reduce.wgsl: sum / mean / max along one axis and their backward.
//
// Shapes: x is viewed as [outer, n, inner] around the reduced axis (element (o,j,i) at (o·n + j)·inner + i); the
// reduced tensors (out, argmax, dout) are [outer, inner] (element (o,i) at o·inner + i).
// Bindings: 0 params {total, n, inner, scale}; then per entry point:
//   reduce_sum          1 x (read), 2 out (write)                        out[o,i] = scale · Σ_j x[o,j,i]   (sum: scale 1, mean: 1/n)
//   reduce_max          1 x (read), 2 out (write), 3 argmax i32 (write)  out = max_j x[o,j,i], argmax = first such j
//   broadcast_backward  1 dout (read), 2 dx (write)                      dx[o,j,i] += scale · dout[o,i]   (accumulates)
//   max_backward        1 dout (read), 2 argmax i32 (read), 3 dx (write) dx[o,j,i] += dout[o,i] where j = argmax[o,i]
//                                                                         (accumulates; an out-of-range argmax adds nothing)
// Dispatch: groups1d(total), workgroup 256, one invocation per element of the written tensor: total = outer·inner
// for the forward kernels (serial loop over j), outer·n·inner for the backward ones.

struct Params {
  total: u32,
  n: u32,
  inner: u32,
  scale: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

// Start of the reduced line through output (o, i) = (r / inner, r % inner); consecutive j are `inner` apart.
fn line_start(r: u32) -> u32 {
  return (r / p.inner) * p.n * p.inner + r % p.inner;
}

@compute @workgroup_size(256)
fn reduce_sum(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let r = flat_index(gid, nwg);
  if (r >= p.total) { return; }
  let base = line_start(r);
  var s = 0.0;
  for (var j = 0u; j < p.n; j = j + 1u) { s = s + src[base + j * p.inner]; }
  dst[r] = p.scale * s;
}

@group(0) @binding(3) var<storage, read_write> argmax_out: array<i32>;

@compute @workgroup_size(256)
fn reduce_max(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let r = flat_index(gid, nwg);
  if (r >= p.total) { return; }
  let base = line_start(r);
  var best = src[base];
  var best_j = 0u;
  for (var j = 1u; j < p.n; j = j + 1u) {
    let v = src[base + j * p.inner];
    if (v > best) { best = v; best_j = j; }
  }
  dst[r] = best;
  argmax_out[r] = i32(best_j);
}

// The reduced (o, i) of dx element e = (o·n + j)·inner + i.
fn reduced_index(e: u32) -> u32 {
  return (e / (p.n * p.inner)) * p.inner + e % p.inner;
}

@compute @workgroup_size(256)
fn broadcast_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= p.total) { return; }
  dst[e] = dst[e] + p.scale * src[reduced_index(e)];
}

@group(0) @binding(2) var<storage, read> argmax_in: array<i32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

@compute @workgroup_size(256)
fn max_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= p.total) { return; }
  let r = reduced_index(e);
  let j = (e / p.inner) % p.n;
  if (argmax_in[r] == i32(j)) { dx[e] = dx[e] + src[r]; }
}
