// embedding.wgsl: row gather and its deterministic scatter-add backward.
//
// Shapes: ids i32 [N]; table, dtable [V, C]; out, dout [N, C].
// Ids outside [0, V) cannot raise an error on the GPU: the forward writes a row of zeros for them and the
// backward ignores them (the cpu backend throws instead).
// Bindings (params {N, V, C}):
//   embedding_forward   1 ids, 2 table (read), 3 out (write)     out[n,c] = table[ids[n],c]
//   embedding_backward  1 ids, 2 dout (read), 3 dtable (write)   dtable[v,c] += Σ_{n: ids[n]=v} dout[n,c] (accumulates)
// Dispatch: forward groups1d(N·C), one invocation per (n, c); backward groups1d(V·C), one invocation per (v, c)
// that scans all N ids in order, so no atomics are needed and the summation order is fixed.

struct Params {
  N: u32,
  V: u32,
  C: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> ids: array<i32>;

@group(0) @binding(2) var<storage, read> table: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(256)
fn embedding_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= p.N * p.C) { return; }
  let id = ids[i / p.C];
  if (id >= 0 && u32(id) < p.V) {
    out[i] = table[u32(id) * p.C + i % p.C];
  } else {
    out[i] = 0.0;
  }
}

@group(0) @binding(2) var<storage, read> dout: array<f32>;
@group(0) @binding(3) var<storage, read_write> dtable: array<f32>;

@compute @workgroup_size(256)
fn embedding_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= p.V * p.C) { return; }
  let v = i32(i / p.C);
  let c = i % p.C;
  // Starting from the current value and adding rows in order n = 0, 1, ... matches a sequential scatter-add.
  var acc = dtable[i];
  for (var n = 0u; n < p.N; n++) {
    if (ids[n] == v) {
      acc += dout[n * p.C + c];
    }
  }
  dtable[i] = acc;
}
