// rng.wgsl: fill a tensor with counter-based uniforms, out[i] = uniform_at(seed, stream, counter + i) (u32
// wrap-around), the function of common.wgsl that src/engine/rng.ts's uniformAt reproduces bit for bit.
//
// Shapes: out is a flat array of n f32.
// Bindings: 0 params {n, seed, stream, counter}; uniform_fill  1 out (write, overwritten).
// Dispatch: groups1d(n), workgroup 256.

struct Params {
  n: u32,
  seed: u32,
  stream: u32,
  counter: u32,
}

@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(256)
fn uniform_fill(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= prm.n) { return; }
  out[i] = uniform_at(prm.seed, prm.stream, prm.counter + i);
}
