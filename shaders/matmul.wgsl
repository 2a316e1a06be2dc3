// matmul.wgsl: batched out[b] = alpha · op(A[b]) · op(B[b]) (+ out[b] when accumulating).
//
// Shapes: op(A) is M×K, stored [M,K] or, when trans_a = 1, [K,M]; op(B) is K×N, stored [K,N] or, when
// trans_b = 1, [N,K]; out is [M,N] per batch. Batch b of A starts at b·stride_a (stride_a = 0 broadcasts a
// 2-D A over the batch), likewise B; out batches are M·N apart.
// Bindings: 0 params {M, N, K, trans_a, trans_b, accumulate, stride_a, stride_b, alpha};
//   matmul   1 a (read), 2 b (read), 3 out (write)   out = alpha·op(A)·op(B), or out += that when accumulate = 1
// Dispatch: (ceil(N/64), ceil(M/64), batch), workgroup 16×16. Each workgroup computes a 64×64 output tile, each
// invocation a 4×4 register block (rows ty + 16i, columns tx + 16j, so shared-memory reads are conflict-free and
// output writes coalesce), walking K in steps of 16 through two shared-memory tiles. Tile loads are laid out per
// operand layout so that neighbouring invocations read neighbouring addresses; out-of-range elements load as 0.
// Each output element is written by exactly one invocation.

struct Params {
  M: u32,
  N: u32,
  K: u32,
  trans_a: u32,
  trans_b: u32,
  accumulate: u32,
  stride_a: u32,
  stride_b: u32,
  alpha: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

const TILE: u32 = 64u;   // output tile edge (M and N)
const TK: u32 = 16u;     // K step
const ROW: u32 = 65u;    // padded shared row (TILE + 1) so that tile stores do not all hit one bank
// a_tile[k·ROW + m] = op(A)[m0 + m, k0 + k]; b_tile[k·ROW + n] = op(B)[k0 + k, n0 + n].
var<workgroup> a_tile: array<f32, 1040>;  // TK · ROW
var<workgroup> b_tile: array<f32, 1040>;

fn load_a(batch_off: u32, m: u32, k: u32) -> f32 {
  if (m >= p.M || k >= p.K) { return 0.0; }
  if (p.trans_a == 1u) { return a[batch_off + k * p.M + m]; }
  return a[batch_off + m * p.K + k];
}

fn load_b(batch_off: u32, k: u32, n: u32) -> f32 {
  if (k >= p.K || n >= p.N) { return 0.0; }
  if (p.trans_b == 1u) { return b[batch_off + n * p.K + k]; }
  return b[batch_off + k * p.N + n];
}

// No early return: every invocation must reach the workgroup barriers; only the final writes are bounds-checked.
@compute @workgroup_size(16, 16)
fn matmul(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
          @builtin(local_invocation_index) t: u32) {
  let m0 = wg.y * TILE;
  let n0 = wg.x * TILE;
  let a_off = wg.z * p.stride_a;
  let b_off = wg.z * p.stride_b;
  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < p.K; k0 = k0 + TK) {
    // 1024 elements per tile, 4 per invocation. The fastest-varying tile index follows the contiguous axis of
    // the stored operand: k for A [M,K] and B [N,K], m for A [K,M], n for B [K,N].
    for (var r = 0u; r < 4u; r = r + 1u) {
      let e = t + r * 256u;
      var am = e / TK;
      var ak = e % TK;
      if (p.trans_a == 1u) { am = e % TILE; ak = e / TILE; }
      a_tile[ak * ROW + am] = load_a(a_off, m0 + am, k0 + ak);
      var bn = e % TILE;
      var bk = e / TILE;
      if (p.trans_b == 1u) { bn = e / TK; bk = e % TK; }
      b_tile[bk * ROW + bn] = load_b(b_off, k0 + bk, n0 + bn);
    }
    workgroupBarrier();
    for (var k = 0u; k < TK; k = k + 1u) {
      let base = k * ROW;
      let bv = vec4<f32>(b_tile[base + lid.x], b_tile[base + lid.x + 16u], b_tile[base + lid.x + 32u], b_tile[base + lid.x + 48u]);
      for (var i = 0u; i < 4u; i = i + 1u) {
        acc[i] = acc[i] + a_tile[base + lid.y + 16u * i] * bv;
      }
    }
    workgroupBarrier();
  }
  let out_off = wg.z * p.M * p.N;
  for (var i = 0u; i < 4u; i = i + 1u) {
    let m = m0 + lid.y + 16u * i;
    if (m >= p.M) { continue; }
    for (var j = 0u; j < 4u; j = j + 1u) {
      let n = n0 + lid.x + 16u * j;
      if (n >= p.N) { continue; }
      let idx = out_off + m * p.N + n;
      let v = p.alpha * acc[i][j];
      if (p.accumulate == 1u) { out[idx] = out[idx] + v; } else { out[idx] = v; }
    }
  }
}
