// elementwise.wgsl: same-shape elementwise ops and their backward.
//
// Shapes: every tensor is a flat array of n f32 elements.
// Bindings: 0 params {n, alpha}; then per entry point:
//   add_forward, mul_forward      1 a (read), 2 b (read), 3 out (write)        out = a + b | a * b
//   scale_forward                 1 a (read), 2 out (write)                    out = alpha * a
//   axpy                          1 src (read), 2 dst (write)                  dst += alpha * src   (accumulates)
//   mul_backward_a                1 dout, 2 other (read), 3 dgrad (write)      dgrad += dout * other (accumulates)
//   fill                          1 out (write)                                out = alpha
// Dispatch: groups1d(n), workgroup 256.

struct Params {
  n: u32,
  alpha: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x0: array<f32>;
@group(0) @binding(2) var<storage, read> x1: array<f32>;
@group(0) @binding(3) var<storage, read_write> y3: array<f32>;

@compute @workgroup_size(256)
fn add_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= p.n) { return; }
  y3[i] = x0[i] + x1[i];
}

@compute @workgroup_size(256)
fn mul_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= p.n) { return; }
  y3[i] = x0[i] * x1[i];
}

@compute @workgroup_size(256)
fn mul_backward_a(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= p.n) { return; }
  y3[i] = y3[i] + x0[i] * x1[i];
}

// Two-binding entry points use their own binding slot 2 as the output.
@group(0) @binding(2) var<storage, read_write> y2: array<f32>;

@compute @workgroup_size(256)
fn scale_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= p.n) { return; }
  y2[i] = p.alpha * x0[i];
}

@compute @workgroup_size(256)
fn axpy(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= p.n) { return; }
  y2[i] = y2[i] + p.alpha * x0[i];
}

@group(0) @binding(1) var<storage, read_write> y1: array<f32>;

@compute @workgroup_size(256)
fn fill(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= p.n) { return; }
  y1[i] = p.alpha;
}
