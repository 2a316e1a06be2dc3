// activation.wgsl: pointwise activations and their derivatives.
//
// Kinds (params.kind): 0 relu, 1 silu (x·σ(x)), 2 gelu (tanh approximation), 3 sigmoid. act_value and
// act_slope are the per-element maths, kept separate from the entry points so other kernels can pick a kind
// per element.
// Shapes: x, out, dout, dx: n f32 elements (any shape).
// Bindings (params {n, kind}):
//   activation_forward   1 x (read), 2 out (write)            out = act(x)
//   activation_backward  1 x, 2 dout (read), 3 dx (write)     dx += act'(x)·dout (accumulates)
// Dispatch: groups1d(n), workgroup 256.

struct Params {
  n: u32,
  kind: u32,
}

const RELU: u32 = 0u;
const SILU: u32 = 1u;
const GELU: u32 = 2u;
// √(2/π) and the cubic coefficient of the tanh approximation of GELU.
const GELU_K: f32 = 0.7978845608028654;
const GELU_A: f32 = 0.044715;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;

fn sigmoid(v: f32) -> f32 {
  return 1.0 / (1.0 + exp(-v));
}

// tanh of the GELU argument; clamped because tanh = sinh/cosh overflows to NaN for large inputs on some
// drivers, and tanh(±15) already rounds to ±1 in f32.
fn gelu_tanh(v: f32) -> f32 {
  return tanh(clamp(GELU_K * (v + GELU_A * v * v * v), -15.0, 15.0));
}

fn act_value(kind: u32, v: f32) -> f32 {
  switch kind {
    case RELU: { return max(v, 0.0); }
    case SILU: { return v * sigmoid(v); }
    case GELU: { return 0.5 * v * (1.0 + gelu_tanh(v)); }
    default: { return sigmoid(v); }
  }
}

fn act_slope(kind: u32, v: f32) -> f32 {
  switch kind {
    case RELU: { return select(0.0, 1.0, v > 0.0); }
    case SILU: {
      let s = sigmoid(v);
      return s * (1.0 + v * (1.0 - s));
    }
    case GELU: {
      let t = gelu_tanh(v);
      return 0.5 * (1.0 + t) + 0.5 * v * (1.0 - t * t) * GELU_K * (1.0 + 3.0 * GELU_A * v * v);
    }
    default: {
      let s = sigmoid(v);
      return s * (1.0 - s);
    }
  }
}

@group(0) @binding(2) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(256)
fn activation_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= p.n) { return; }
  out[i] = act_value(p.kind, x[i]);
}

@group(0) @binding(2) var<storage, read> dout: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

@compute @workgroup_size(256)
fn activation_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= p.n) { return; }
  dx[i] = dx[i] + act_slope(p.kind, x[i]) * dout[i];
}
