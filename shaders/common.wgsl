// common.wgsl: helpers prepended to every kernel family (WGSL has no #include).
//
// 1-D kernels use @workgroup_size(256) and may be dispatched as a 2-D grid when a tensor needs more than
// 65535 workgroups (see groups1d in src/engine/backend/webgpu/runtime.ts); flat_index and workgroup_index undo
// that split.

const WG: u32 = 256u;

fn flat_index(gid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
}

// Index of the workgroup in a groups1d(count, 1) grid (one workgroup per row, column or weight element).
fn workgroup_index(wid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return wid.x + wid.y * nwg.x;
}

// Scratch of workgroup_sum; an entry point that never calls it does not allocate it.
var<workgroup> wg_sum_scratch: array<f32, WG>;

// Sum of v over a workgroup of WG invocations, in a fixed tree order (deterministic). Collective: every invocation
// of the workgroup must call it, in uniform control flow. The trailing barrier lets the caller call it again.
fn workgroup_sum(lid: u32, v: f32) -> f32 {
  wg_sum_scratch[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s >> 1u) {
    if (lid < s) { wg_sum_scratch[lid] = wg_sum_scratch[lid] + wg_sum_scratch[lid + s]; }
    workgroupBarrier();
  }
  let total = wg_sum_scratch[0];
  workgroupBarrier();
  return total;
}

// Counter-based RNG, identical to src/engine/rng.ts (hash32 / hashKey / uniformAt).
fn hash32(v: u32) -> u32 {
  var x = v;
  x = x ^ (x >> 16u);
  x = x * 0x7feb352du;
  x = x ^ (x >> 15u);
  x = x * 0x846ca68bu;
  x = x ^ (x >> 16u);
  return x;
}

fn hash_key(seed: u32, stream: u32, counter: u32) -> u32 {
  var h = hash32(seed ^ 0x9e3779b9u);
  h = hash32(h ^ stream);
  h = hash32(h ^ counter);
  return h;
}

// Uniform in [0,1) with 24 random bits (exact in f32).
fn uniform_at(seed: u32, stream: u32, counter: u32) -> f32 {
  return f32(hash_key(seed, stream, counter) >> 8u) * (1.0 / 16777216.0);
}
