// mta.wgsl: Multi-Token Attention kernels around the attention softmax (docs/methods.md §1.2 steps 2, 3, 5, 6).
//
// Maps are f32 [B,H,T,S]; map row i is query position q_pos0 + i and key j is visible iff
// key_start[b] <= j <= q_pos0 + i (key_start only when has_key_start = 1; otherwise another read buffer is bound
// there and never read).
//
// Key-query convolution, depthwise per head, kernel [H,cq,ck], pk = left key padding (both: (ck-1)/2,
// left: ck-1, right: 0):
//   out[b,h,i,j] = Σ_{a,c} kernel[h,a,c] · x̃[b,h,i-(cq-1)+a, j-pk+c]   for visible (i,j), else 0,
//   x̃ = x at visible in-range entries, else 0.
// Head mixing, per group g of c heads at every (b,i,j); weight [H/c,c,c] stored [g,out,in] (in_out = 0, nn.Linear)
// or [g,in,out] (in_out = 1, the official head_kernel):
//   out[b,g·c+o,i,j] = Σ_in w(g,o,in) · x[b,g·c+in,i,j].
//
// Bindings: 0 params (ConvParams pc | MixParams pm); then per entry point:
//   conv_forward          1 x, 2 kernel, 3 key_start (read), 4 out (write)       out overwritten
//   conv_backward_x       1 dout, 2 kernel, 3 key_start (read), 4 dx (write)     dx += (visible entries only)
//   conv_backward_kernel  1 dout, 2 x, 3 key_start (read), 4 dkernel (write)     dkernel +=
//   mix_forward           1 x, 2 weight (read), 3 out (write)                    out overwritten
//   mix_backward_x        1 dout, 2 weight (read), 3 dx (write)                  dx +=
//   mix_backward_weight   1 dout, 2 x (read), 3 dweight (write)                  dweight +=
// Dispatch: element kernels groups1d(B·H·T·S), workgroup 256, one invocation per output element. The two weight
// gradients run one workgroup per weight element (groups1d(count, 1)) and reduce over (b,i,j) with a fixed
// strided loop plus workgroup_sum (common.wgsl), a fixed tree reduction: deterministic, no atomics.

struct ConvParams {
  B: u32,
  H: u32,
  T: u32,
  S: u32,
  cq: u32,
  ck: u32,
  pk: u32,
  q_pos0: u32,
  has_key_start: u32,
}

struct MixParams {
  B: u32,
  H: u32,
  // T·S: (b,h) planes are contiguous and mixing never looks across (i,j).
  plane: u32,
  c: u32,
  in_out: u32,
}

@group(0) @binding(0) var<uniform> pc: ConvParams;
@group(0) @binding(0) var<uniform> pm: MixParams;

// Convolution bindings. c_in is x in the forward and dout in both backward entry points.
@group(0) @binding(1) var<storage, read> c_in: array<f32>;
@group(0) @binding(2) var<storage, read> c_kernel: array<f32>;
@group(0) @binding(2) var<storage, read> c_x: array<f32>;
@group(0) @binding(3) var<storage, read> c_key_start: array<i32>;
@group(0) @binding(4) var<storage, read_write> c_out: array<f32>;

// Head-mixing bindings. m_in is x in the forward and dout in both backward entry points.
@group(0) @binding(1) var<storage, read> m_in: array<f32>;
@group(0) @binding(2) var<storage, read> m_weight: array<f32>;
@group(0) @binding(2) var<storage, read> m_x: array<f32>;
@group(0) @binding(3) var<storage, read_write> m_out: array<f32>;

fn visible(b: u32, i: i32, j: i32) -> bool {
  var first = 0;
  if (pc.has_key_start == 1u) { first = c_key_start[b]; }
  return j >= first && j <= i32(pc.q_pos0) + i && j < i32(pc.S);
}

fn map_index(bh: u32, r: i32, w: i32) -> u32 {
  return (bh * pc.T + u32(r)) * pc.S + u32(w);
}

// Map element n = ((b·H + h)·T + i)·S + j; bh = b·H + h.
struct MapCoord {
  b: u32,
  h: u32,
  bh: u32,
  i: i32,
  j: i32,
}

fn map_coord(n: u32) -> MapCoord {
  let bh = n / (pc.S * pc.T);
  return MapCoord(bh / pc.H, bh % pc.H, bh, i32((n / pc.S) % pc.T), i32(n % pc.S));
}

@compute @workgroup_size(256)
fn conv_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let n = flat_index(gid, nwg);
  if (n >= pc.B * pc.H * pc.T * pc.S) { return; }
  let m = map_coord(n);
  var acc = 0.0;
  if (visible(m.b, m.i, m.j)) {
    for (var a = 0u; a < pc.cq; a = a + 1u) {
      let r = m.i - i32(pc.cq - 1u) + i32(a);
      if (r < 0) { continue; }
      for (var c = 0u; c < pc.ck; c = c + 1u) {
        let w = m.j - i32(pc.pk) + i32(c);
        if (w < 0 || !visible(m.b, r, w)) { continue; }
        acc = acc + c_kernel[(m.h * pc.cq + a) * pc.ck + c] * c_in[map_index(m.bh, r, w)];
      }
    }
  }
  c_out[n] = acc;
}

// Gather form: input (u,v) was read by output (u+(cq-1)-a, v+pk-c) through tap (a,c).
@compute @workgroup_size(256)
fn conv_backward_x(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let n = flat_index(gid, nwg);
  if (n >= pc.B * pc.H * pc.T * pc.S) { return; }
  // Input (u, v) = (m.i, m.j).
  let m = map_coord(n);
  if (!visible(m.b, m.i, m.j)) { return; }
  var acc = 0.0;
  for (var a = 0u; a < pc.cq; a = a + 1u) {
    let r = m.i + i32(pc.cq - 1u) - i32(a);
    if (r >= i32(pc.T)) { continue; }
    for (var c = 0u; c < pc.ck; c = c + 1u) {
      let w = m.j + i32(pc.pk) - i32(c);
      // Masked outputs are constant 0, so their dout never flows back.
      if (w < 0 || !visible(m.b, r, w)) { continue; }
      acc = acc + c_kernel[(m.h * pc.cq + a) * pc.ck + c] * c_in[map_index(m.bh, r, w)];
    }
  }
  c_out[n] = c_out[n] + acc;
}

@compute @workgroup_size(256)
fn conv_backward_kernel(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let tap = workgroup_index(wid, nwg);
  if (tap >= pc.H * pc.cq * pc.ck) { return; }
  let c = tap % pc.ck;
  let a = (tap / pc.ck) % pc.cq;
  let h = tap / (pc.ck * pc.cq);
  let per_b = pc.T * pc.S;
  var acc = 0.0;
  for (var m = lid; m < pc.B * per_b; m = m + 256u) {
    let b = m / per_b;
    let i = i32((m / pc.S) % pc.T);
    let j = i32(m % pc.S);
    let r = i - i32(pc.cq - 1u) + i32(a);
    let w = j - i32(pc.pk) + i32(c);
    if (r < 0 || w < 0 || !visible(b, i, j) || !visible(b, r, w)) { continue; }
    let bh = b * pc.H + h;
    acc = acc + c_in[map_index(bh, i, j)] * c_x[map_index(bh, r, w)];
  }
  let total = workgroup_sum(lid, acc);
  if (lid == 0u) { c_out[tap] = c_out[tap] + total; }
}

// Element n = (b·H + h)·plane + pos of a mixed map; g = h / c is the head's group.
struct MixCoord {
  b: u32,
  h: u32,
  g: u32,
  pos: u32,
}

fn mix_coord(n: u32) -> MixCoord {
  let h = (n / pm.plane) % pm.H;
  return MixCoord(n / (pm.plane * pm.H), h, h / pm.c, n % pm.plane);
}

// The same position in head k of mc's group.
fn group_member(mc: MixCoord, k: u32) -> u32 {
  return (mc.b * pm.H + mc.g * pm.c + k) * pm.plane + mc.pos;
}

// Flat index of the coefficient from input head `inp` to output head `o` of group g.
fn weight_index(g: u32, o: u32, inp: u32) -> u32 {
  if (pm.in_out == 1u) { return (g * pm.c + inp) * pm.c + o; }
  return (g * pm.c + o) * pm.c + inp;
}

@compute @workgroup_size(256)
fn mix_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let n = flat_index(gid, nwg);
  if (n >= pm.B * pm.H * pm.plane) { return; }
  let mc = mix_coord(n);
  var acc = 0.0;
  for (var inp = 0u; inp < pm.c; inp = inp + 1u) {
    acc = acc + m_weight[weight_index(mc.g, mc.h % pm.c, inp)] * m_in[group_member(mc, inp)];
  }
  m_out[n] = acc;
}

@compute @workgroup_size(256)
fn mix_backward_x(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let n = flat_index(gid, nwg);
  if (n >= pm.B * pm.H * pm.plane) { return; }
  let mc = mix_coord(n);
  var acc = 0.0;
  for (var o = 0u; o < pm.c; o = o + 1u) {
    acc = acc + m_weight[weight_index(mc.g, o, mc.h % pm.c)] * m_in[group_member(mc, o)];
  }
  m_out[n] = m_out[n] + acc;
}

@compute @workgroup_size(256)
fn mix_backward_weight(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let e = workgroup_index(wid, nwg);
  if (e >= pm.H * pm.c) { return; }
  // Stored element e = (g, first, second); which of first/second is the output head depends on the layout.
  let g = e / (pm.c * pm.c);
  let first = (e / pm.c) % pm.c;
  let second = e % pm.c;
  let o = select(first, second, pm.in_out == 1u);
  let inp = select(second, first, pm.in_out == 1u);
  let out_base = g * pm.c + o;
  let in_base = g * pm.c + inp;
  var acc = 0.0;
  for (var m = lid; m < pm.B * pm.plane; m = m + 256u) {
    let b = m / pm.plane;
    let pos = m % pm.plane;
    acc = acc + m_in[(b * pm.H + out_base) * pm.plane + pos] * m_x[(b * pm.H + in_base) * pm.plane + pos];
  }
  let total = workgroup_sum(lid, acc);
  if (lid == 0u) { m_out[e] = m_out[e] + total; }
}
