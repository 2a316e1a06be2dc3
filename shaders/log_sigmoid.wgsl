// log_sigmoid.wgsl: log σ(x) and its derivative, the core of the DPO loss −log σ(β·margin) (docs/dpo.md).
//
// Stable form: log σ(x) = min(x, 0) − log(1 + e^(−|x|)) and σ(−x) = e^(−|x|)/(1 + e^(−|x|)) for x > 0, else
// 1/(1 + e^(−|x|)). The exponent is never positive, so nothing overflows for any finite x; log σ(−80) = −80.
// Shapes: x, out, dout, dx: n f32 elements (any shape).
// Bindings (params {n}):
//   log_sigmoid_forward   1 x (read), 2 out (write)            out = log σ(x) (overwrites)
//   log_sigmoid_backward  1 x, 2 dout (read), 3 dx (write)     dx += dout · σ(−x) (accumulates)
// Dispatch: groups1d(n), workgroup 256.

struct Params {
  n: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;

// log(1 + e) for e in [0, 1]. WGSL has no log1p; where 1 + e rounds, log(u)·e/(u − 1) cancels the rounding of
// u = 1 + e (Goldberg's correction), and where u rounds to 1, log(1 + e) = e to f32 precision.
fn log1p_unit(e: f32) -> f32 {
  let u = 1.0 + e;
  if (u == 1.0) { return e; }
  return log(u) * e / (u - 1.0);
}

@group(0) @binding(2) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(256)
fn log_sigmoid_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= p.n) { return; }
  let v = x[i];
  out[i] = min(v, 0.0) - log1p_unit(exp(-abs(v)));
}

@group(0) @binding(2) var<storage, read> dout: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

@compute @workgroup_size(256)
fn log_sigmoid_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= p.n) { return; }
  let v = x[i];
  let e = exp(-abs(v));
  let sigmoid_of_negative = select(1.0, e, v > 0.0) / (1.0 + e);
  dx[i] = dx[i] + dout[i] * sigmoid_of_negative;
}
