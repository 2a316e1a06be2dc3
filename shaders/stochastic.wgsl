// stochastic.wgsl: stochastic activation stochA(p) — per element SILU with probability p, else RELU
// (docs/methods.md §2.1–2.2). The Bernoulli draw of element (n, f) is uniform_at(seeds[n / T], stream, positions[n]·F + f) < p,
// the same counter RNG as src/engine/rng.ts, so the CPU oracle and a replay in the training forward see the
// exact draws of the rollout. With region 'negOnly' (negOnly = 1) only x < 0 is drawn; for x ≥ 0 both equal x.
// granularity: 0 one draw per element (counter positions[n]·F + f), 1 per token (positions[n]·F), 2 per layer (0).
//
// Shapes: x, out, dout, dx [N, F] with N = B·T rows; seeds i32 [B]; positions i32 [N].
// Bindings (params {n, F, T, p, negOnly, stream, granularity}):
//   stoch_forward   1 x, 2 seeds, 3 positions (read), 4 out (write)    out = act(x)
//   stoch_backward  1 x, 2 seeds, 3 positions, 4 dout (read), 5 dx (write)   dx += act'(x)·dout (accumulates)
// Dispatch: groups1d(N·F), workgroup 256.

struct Params {
  n: u32,
  F: u32,
  T: u32,
  p: f32,
  negOnly: u32,
  stream: u32,
  granularity: u32,
}

@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> seeds: array<i32>;
@group(0) @binding(3) var<storage, read> positions: array<i32>;

fn draws_silu(i: u32, v: f32) -> bool {
  let row = i / prm.F;
  let unit = i % prm.F;
  let seed = u32(seeds[row / prm.T]);
  var counter = 0u;
  if (prm.granularity == 0u) { counter = u32(positions[row]) * prm.F + unit; }
  if (prm.granularity == 1u) { counter = u32(positions[row]) * prm.F; }
  let chosen = uniform_at(seed, prm.stream, counter) < prm.p;
  return chosen && (prm.negOnly == 0u || v < 0.0);
}

fn sigmoid(v: f32) -> f32 {
  return 1.0 / (1.0 + exp(-v));
}

@group(0) @binding(4) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(256)
fn stoch_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= prm.n) { return; }
  let v = x[i];
  if (draws_silu(i, v)) {
    out[i] = v * sigmoid(v);
  } else {
    out[i] = max(v, 0.0);
  }
}

@group(0) @binding(4) var<storage, read> dout: array<f32>;
@group(0) @binding(5) var<storage, read_write> dx: array<f32>;

@compute @workgroup_size(256)
fn stoch_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= prm.n) { return; }
  let v = x[i];
  var d = 0.0;
  if (draws_silu(i, v)) {
    let s = sigmoid(v);
    d = s * (1.0 + v * (1.0 - s));
  } else if (v > 0.0) {
    d = 1.0;
  }
  dx[i] = dx[i] + d * dout[i];
}
