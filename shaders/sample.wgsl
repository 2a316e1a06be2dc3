// sample.wgsl: one categorical draw per row of logits, with temperature, top-k and top-p filters.
//
// Semantics (shared with the CPU oracle): z = logits·invT, p = softmax(z). Greedy takes the first argmax of the
// logits. Otherwise tokens are ranked by p descending, ties to the lower index; top-k keeps rank < topK (0 = off);
// top-p keeps a token when the mass of the tokens ranked strictly before it is < topP (≥ 1 = off), so the top
// token always survives. With u = uniform_at(seed, stream, counter + row), the draw is the first kept token in
// index order whose cumulative kept mass exceeds u·(total kept mass).
//
// Algorithm (independent of the oracle's sort): one workgroup of 256 invocations per row, invocation t owns the
// contiguous chunk [t·C, (t+1)·C) of the vocabulary, C = ceil(V / 256). A token's rank is COUNTED (O(V) per
// token, fine for V up to a few thousand) by comparing raw logits: for invT > 0 their order is the exact order
// of p, without the ties that rounding exp() would create. Kept masses are scanned over chunks in index order;
// the one invocation whose chunk holds the crossing walks it again with the very same additions, so the
// cumulative sums it compares are bit-identical to the scan's and exactly one token is chosen.
//
// Shapes: logits [N, V]; ids i32 [N] (overwritten).
// Bindings: 0 params {N, V, invT, topK, topP, greedy, seed, stream, counter}; sample  1 logits (read), 2 ids (write).
// Dispatch: groups1d(N, 1) workgroups of 256 (one per row).

struct Params {
  N: u32,
  V: u32,
  invT: f32,
  topK: u32,
  topP: f32,
  greedy: u32,
  seed: u32,
  stream: u32,
  counter: u32,
}

@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read_write> ids: array<i32>;

const NONE: u32 = 0xffffffffu;

var<workgroup> red_v: array<f32, 256>;
var<workgroup> red_i: array<u32, 256>;
var<workgroup> prefix: array<f32, 256>;
var<workgroup> target_mass: f32;
var<workgroup> chosen: u32;

struct Chunk {
  start: u32,
  end: u32,
}

fn chunk_of(lid: u32) -> Chunk {
  let c = (prm.V + WG - 1u) / WG;
  let start = min(prm.V, lid * c);
  return Chunk(start, min(prm.V, start + c));
}

// Unnormalised probability exp(z_j − z_max).
fn weight(base: u32, j: u32, max_logit: f32) -> f32 {
  return exp((logits[base + j] - max_logit) * prm.invT);
}

fn filtering() -> bool {
  return prm.topK > 0u || prm.topP < 1.0;
}

// Whether token i survives top-k and top-p; total = Σ_j weight(j).
fn is_kept(base: u32, i: u32, max_logit: f32, total: f32) -> bool {
  if (!filtering()) { return true; }
  let li = logits[base + i];
  var rank = 0u;
  var before = 0.0;
  for (var j = 0u; j < prm.V; j = j + 1u) {
    let lj = logits[base + j];
    if (lj > li || (lj == li && j < i)) {
      rank = rank + 1u;
      before = before + weight(base, j, max_logit);
    }
  }
  return (prm.topK == 0u || rank < prm.topK) && (prm.topP >= 1.0 || before < prm.topP * total);
}

@compute @workgroup_size(256)
fn sample(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
          @builtin(local_invocation_index) lid: u32) {
  let row = workgroup_index(wid, nwg);
  if (row >= prm.N) { return; }
  let base = row * prm.V;
  let ch = chunk_of(lid);

  // First argmax: (value, index) pairs reduced with ties to the lower index. Empty chunks offer token 0.
  var best_v = logits[base];
  var best_i = 0u;
  for (var j = ch.start; j < ch.end; j = j + 1u) {
    let v = logits[base + j];
    if (v > best_v) { best_v = v; best_i = j; }
  }
  red_v[lid] = best_v;
  red_i[lid] = best_i;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s >> 1u) {
    if (lid < s) {
      let v = red_v[lid + s];
      let i = red_i[lid + s];
      if (v > red_v[lid] || (v == red_v[lid] && i < red_i[lid])) {
        red_v[lid] = v;
        red_i[lid] = i;
      }
    }
    workgroupBarrier();
  }
  let max_logit = red_v[0];
  let argmax = red_i[0];
  workgroupBarrier();
  if (prm.greedy != 0u) {
    if (lid == 0u) { ids[row] = i32(argmax); }
    return;
  }

  // Softmax normaliser.
  var sum = 0.0;
  for (var j = ch.start; j < ch.end; j = j + 1u) { sum = sum + weight(base, j, max_logit); }
  let total = workgroup_sum(lid, sum);

  // Kept mass of each chunk (added in index order) and the last kept token.
  var kept_sum = 0.0;
  var last_kept = 0u;
  for (var i = ch.start; i < ch.end; i = i + 1u) {
    if (is_kept(base, i, max_logit, total)) {
      kept_sum = kept_sum + weight(base, i, max_logit);
      last_kept = i;
    }
  }
  red_v[lid] = kept_sum;
  red_i[lid] = last_kept;
  workgroupBarrier();
  if (lid == 0u) {
    var acc = 0.0;
    var last = 0u;
    for (var t = 0u; t < WG; t = t + 1u) {
      prefix[t] = acc;
      acc = acc + red_v[t];
      last = max(last, red_i[t]);
    }
    target_mass = uniform_at(prm.seed, prm.stream, prm.counter + row) * acc;
    chosen = NONE;
    red_i[0] = last;
  }
  workgroupBarrier();

  // The chunk where the cumulative kept mass first exceeds the target repeats the additions above.
  let start_mass = prefix[lid];
  if (start_mass <= target_mass && start_mass + kept_sum > target_mass) {
    var cum = 0.0;
    for (var i = ch.start; i < ch.end; i = i + 1u) {
      if (is_kept(base, i, max_logit, total)) {
        cum = cum + weight(base, i, max_logit);
        if (start_mass + cum > target_mass) {
          chosen = i;
          break;
        }
      }
    }
  }
  workgroupBarrier();
  if (lid == 0u) {
    // No chunk crosses only when rounding put u·total at or above the total: take the last kept token.
    ids[row] = i32(select(chosen, red_i[0], chosen == NONE));
  }
}
