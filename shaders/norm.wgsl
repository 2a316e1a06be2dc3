// norm.wgsl: RMSNorm over the last axis and its backward.
//
// Shapes: x, out, dout, dx [N, C]; w, dw [C]; rstd [N]. r = rstd[n] = 1/sqrt(mean_c x[n,c]² + eps).
// Bindings (params {N, C, eps}):
//   rmsnorm_forward      1 x, 2 w (read), 3 out, 4 rstd_out (write)        out = x·r·w, rstd_out = r
//   rmsnorm_backward_dx  1 x, 2 dout, 3 rstd, 4 w_in (read), 5 dx (write)  dx += r·w·g − (r³·x/C)·Σ_c g·w·x (accumulates)
//   rmsnorm_backward_dw  1 x, 2 dout, 3 rstd (read), 4 dw (write)          dw[c] += Σ_n g·x·r (accumulates)
// Dispatch: forward and dx run one 256-wide workgroup per row (groups1d(N, 1)), dw one per column (groups1d(C, 1));
// the workgroup index is split over y beyond 65535. Sums use workgroup_sum (common.wgsl), a fixed-order tree:
// deterministic.

struct Params {
  N: u32,
  C: u32,
  eps: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;

@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
@group(0) @binding(4) var<storage, read_write> rstd_out: array<f32>;

@compute @workgroup_size(256)
fn rmsnorm_forward(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let row = workgroup_index(wid, nwg);
  if (row >= p.N) { return; }
  let base = row * p.C;
  var sq = 0.0;
  for (var c = lid; c < p.C; c += WG) {
    let v = x[base + c];
    sq += v * v;
  }
  let r = 1.0 / sqrt(workgroup_sum(lid, sq) / f32(p.C) + p.eps);
  for (var c = lid; c < p.C; c += WG) {
    out[base + c] = x[base + c] * r * w[c];
  }
  if (lid == 0u) { rstd_out[row] = r; }
}

// Backward entry points share dout and rstd at bindings 2 and 3.
@group(0) @binding(2) var<storage, read> dout: array<f32>;
@group(0) @binding(3) var<storage, read> rstd: array<f32>;
@group(0) @binding(4) var<storage, read> w_in: array<f32>;
@group(0) @binding(5) var<storage, read_write> dx: array<f32>;

@compute @workgroup_size(256)
fn rmsnorm_backward_dx(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let row = workgroup_index(wid, nwg);
  if (row >= p.N) { return; }
  let base = row * p.C;
  var dot = 0.0;
  for (var c = lid; c < p.C; c += WG) {
    dot += dout[base + c] * w_in[c] * x[base + c];
  }
  let r = rstd[row];
  let k = r * r * r / f32(p.C) * workgroup_sum(lid, dot);
  for (var c = lid; c < p.C; c += WG) {
    dx[base + c] = dx[base + c] + r * w_in[c] * dout[base + c] - k * x[base + c];
  }
}

@group(0) @binding(4) var<storage, read_write> dw: array<f32>;

@compute @workgroup_size(256)
fn rmsnorm_backward_dw(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let col = workgroup_index(wid, nwg);
  if (col >= p.C) { return; }
  var acc = 0.0;
  for (var n = lid; n < p.N; n += WG) {
    acc += dout[n * p.C + col] * x[n * p.C + col] * rstd[n];
  }
  let total = workgroup_sum(lid, acc);
  if (lid == 0u) { dw[col] = dw[col] + total; }
}
