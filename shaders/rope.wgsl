// rope.wgsl: rotary position embedding, forward and inverse (the inverse is the backward).
//
// Shapes: x, out [B, T, H, D] (D even); positions i32 [B, T]. Pair (2i, 2i+1) of x[b,t,h,:] is rotated by
// angle = sign · positions[b,t] · theta^(−2i/D) with sign +1 (forward) or −1 (inverse):
//   out[2i] = x[2i]·cos − x[2i+1]·sin,  out[2i+1] = x[2i]·sin + x[2i+1]·cos.
// Bindings (params {pairs, H, D, theta, sign, accumulate}):
//   rope   1 x, 2 positions (read), 3 out (write)   out = rot(x), or out += rot(x) when accumulate = 1
// Dispatch: groups1d(pairs) with pairs = B·T·H·D/2, one invocation per pair, workgroup 256.

struct Params {
  pairs: u32,
  H: u32,
  D: u32,
  theta: f32,
  sign: f32,
  accumulate: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> positions: array<i32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

// sin and cos of an angle, accurate to ~1e-7 absolute on every driver: the built-ins are only specified to 2^-11
// absolute on [−π, π] (SwiftShader is ~1e-4 off) and worse outside it. The angle is reduced by the nearest multiple
// k of π/2 (π/2 split as PIO2_HI + PIO2_LO, PIO2_HI = 1.5703125 with 8 significant bits so k·PIO2_HI is exact for
// k < 2^16), then Taylor polynomials on [−π/4, π/4] are mapped back to k's quadrant.
const PIO2_HI: f32 = 1.5703125;
const PIO2_LO: f32 = 4.8382679489661923e-4;
const TWO_OVER_PI: f32 = 0.6366197723675814;

fn sin_cos(a: f32) -> vec2<f32> {
  let k = round(a * TWO_OVER_PI);
  let t = (a - k * PIO2_HI) - k * PIO2_LO;
  let t2 = t * t;
  let s = t * (1.0 - t2 / 6.0 * (1.0 - t2 / 20.0 * (1.0 - t2 / 42.0 * (1.0 - t2 / 72.0))));
  let c = 1.0 - t2 / 2.0 * (1.0 - t2 / 12.0 * (1.0 - t2 / 30.0 * (1.0 - t2 / 56.0)));
  switch ((i32(k) % 4 + 4) % 4) {
    case 0: { return vec2<f32>(s, c); }
    case 1: { return vec2<f32>(c, -s); }
    case 2: { return vec2<f32>(-s, -c); }
    default: { return vec2<f32>(-c, s); }
  }
}

@compute @workgroup_size(256)
fn rope(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let k = flat_index(gid, nwg);
  if (k >= p.pairs) { return; }
  let half = p.D / 2u;
  let i = k % half;
  let bt = k / half / p.H;
  let freq = pow(p.theta, -f32(2u * i) / f32(p.D));
  let sc = sin_cos(p.sign * f32(positions[bt]) * freq);
  let s = sc.x;
  let c = sc.y;
  // Pair k starts at element 2k: pairs are contiguous in the row-major [B,T,H,D] layout.
  let j = 2u * k;
  var a = x[j] * c - x[j + 1u] * s;
  var b = x[j] * s + x[j + 1u] * c;
  if (p.accumulate != 0u) {
    a += out[j];
    b += out[j + 1u];
  }
  out[j] = a;
  out[j + 1u] = b;
}
