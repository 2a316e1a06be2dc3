/**
 * Attention with a zero-masked score map (the oracle's contract, kernels.ts): scores, masked softmax, values,
 * and their backwards. Layouts: q/out [B,T,H,D], k/v [B,Smax,H,D] (first S rows read), maps [B,H,T,S].
 * Key j is visible from query row i of sequence b iff keyStart[b] ≤ j ≤ qPos0 + i (and j < S); keyStart is a
 * pointer to i32 [B], or 0 for none. The same kernels serve training (T = S) and KV-cache decoding (T = 1).
 *
 * With at least BLOCKED_ROWS query rows, the products run as one strided matmul per (batch, head) (`sgemm`
 * reads the head's rows of [B,T,H,D] with row stride H·D), computing the masked entries too and then zeroing
 * or skipping them; that is cheaper than a masked dot product per entry. Decoding (T = 1) keeps the row loops.
 */
import { sgemm } from './matmul';
import { axpyN, dot, exp1, expv, scaleN } from './vector';

/** Query rows from which the (batch, head) matmul form pays off (one register tile is 4 rows tall). */
const BLOCKED_ROWS = 4;

/** Byte offset of row `row` of head h of sequence b in a [B, rows, H, D] tensor. */
@inline
function headRow(b: i32, rows: i32, row: i32, h: i32, H: i32, D: i32): usize {
  return <usize>(((b * rows + row) * H + h) * D) << 2;
}

/** Zero the entries of a (batch, head) map [T, S] that query rows may not see, or copy it masked to `to`. */
function maskMap(from: usize, to: usize, T: i32, S: i32, lo: i32, qPos0: i32): void {
  for (let i = 0; i < T; i++) {
    const hi = min(qPos0 + i, S - 1);
    const src = from + (<usize>(i * S) << 2), dst = to + (<usize>(i * S) << 2);
    if (dst != src) memory.copy(dst, src, <usize>S << 2);
    if (lo > hi) {
      memory.fill(dst, 0, <usize>S << 2);
      continue;
    }
    if (lo > 0) memory.fill(dst, 0, <usize>lo << 2);
    if (hi + 1 < S) memory.fill(dst + (<usize>(hi + 1) << 2), 0, <usize>(S - hi - 1) << 2);
  }
}

@inline
function firstKey(keyStart: usize, b: i32): i32 {
  return keyStart ? max(0, load<i32>(keyStart + (<usize>b << 2))) : 0;
}

export function attnScores(
  q: usize, k: usize, scores: usize,
  B: i32, T: i32, H: i32, D: i32, Smax: i32, S: i32,
  scale: f32, qPos0: i32, keyStart: usize, pack: usize,
): void {
  const HD = H * D;
  for (let b = 0; b < B; b++) {
    const lo = firstKey(keyStart, b);
    for (let h = 0; h < H; h++) {
      if (T >= BLOCKED_ROWS) {
        // scores[b,h] = scale · Q (T×D) · Kᵀ (D×S), then the masked entries zeroed.
        const map = scores + (<usize>((b * H + h) * T * S) << 2);
        sgemm(T, S, D, q + headRow(b, T, 0, h, H, D), HD, 1, k + headRow(b, Smax, 0, h, H, D), 1, HD, map, S, scale, false, pack);
        maskMap(map, map, T, S, lo, qPos0);
        continue;
      }
      for (let i = 0; i < T; i++) {
        const hi = min(qPos0 + i, S - 1);
        const qi = q + (<usize>(((b * T + i) * H + h) * D) << 2);
        const row = scores + (<usize>(((b * H + h) * T + i) * S) << 2);
        for (let j = 0; j < S; j++) {
          let s: f32 = 0;
          if (j >= lo && j <= hi) s = scale * dot(qi, k + (<usize>(((b * Smax + j) * H + h) * D) << 2), D);
          store<f32>(row + (<usize>j << 2), s);
        }
      }
    }
  }
}

export function attnScoresBackward(
  dscores: usize, q: usize, k: usize, dq: usize, dk: usize,
  B: i32, T: i32, H: i32, D: i32, Smax: i32, S: i32,
  scale: f32, qPos0: i32, keyStart: usize, pack: usize, masked: usize,
): void {
  const HD = H * D;
  for (let b = 0; b < B; b++) {
    const lo = firstKey(keyStart, b);
    for (let h = 0; h < H; h++) {
      if (T >= BLOCKED_ROWS) {
        // Masked scores are constants: copy dS without them (into `masked`, T·S floats), then
        // dQ += scale · dS·K and dK += scale · dSᵀ·Q.
        maskMap(dscores + (<usize>((b * H + h) * T * S) << 2), masked, T, S, lo, qPos0);
        const qh = headRow(b, T, 0, h, H, D), kh = headRow(b, Smax, 0, h, H, D);
        sgemm(T, D, S, masked, S, 1, k + kh, HD, 1, dq + qh, HD, scale, true, pack);
        sgemm(S, D, T, masked, 1, S, q + qh, HD, 1, dk + kh, HD, scale, true, pack);
        continue;
      }
      for (let i = 0; i < T; i++) {
        const hi = min(qPos0 + i, S - 1);
        const qOff = <usize>(((b * T + i) * H + h) * D) << 2;
        const row = dscores + (<usize>(((b * H + h) * T + i) * S) << 2);
        for (let j = lo; j <= hi; j++) {
          const gs = scale * load<f32>(row + (<usize>j << 2));
          const kOff = <usize>(((b * Smax + j) * H + h) * D) << 2;
          axpyN(gs, k + kOff, dq + qOff, D);
          axpyN(gs, q + qOff, dk + kOff, D);
        }
      }
    }
  }
}

export function attnSoftmax(scores: usize, probs: usize, B: i32, H: i32, T: i32, S: i32, qPos0: i32, keyStart: usize): void {
  for (let b = 0; b < B; b++) {
    const lo = firstKey(keyStart, b);
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < T; i++) {
        const hi = min(qPos0 + i, S - 1);
        const off = <usize>(((b * H + h) * T + i) * S) << 2;
        const src = scores + off, dst = probs + off;
        memory.fill(dst, 0, <usize>S << 2);
        if (lo > hi) continue; // no visible key: the row stays all zero
        const from = src + (<usize>lo << 2), to = dst + (<usize>lo << 2), n = hi - lo + 1;
        let mv = f32x4.splat(-Infinity);
        let j = 0;
        for (; j + 4 <= n; j += 4) mv = f32x4.max(mv, v128.load(from + (<usize>j << 2)));
        let max = Mathf.max(Mathf.max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)), Mathf.max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
        for (; j < n; j++) max = Mathf.max(max, load<f32>(from + (<usize>j << 2)));
        const maxv = f32x4.splat(max);
        let sv = f32x4.splat(0);
        j = 0;
        for (; j + 4 <= n; j += 4) {
          const e = expv(f32x4.sub(v128.load(from + (<usize>j << 2)), maxv));
          v128.store(to + (<usize>j << 2), e);
          sv = f32x4.add(sv, e);
        }
        let total = f32x4.extract_lane(sv, 0) + f32x4.extract_lane(sv, 1) + f32x4.extract_lane(sv, 2) + f32x4.extract_lane(sv, 3);
        for (; j < n; j++) {
          const e = exp1(load<f32>(from + (<usize>j << 2)) - max);
          store<f32>(to + (<usize>j << 2), e);
          total += e;
        }
        const inv: f32 = 1 / total;
        scaleN(inv, to, to, n);
      }
    }
  }
}

/** dscores += p ⊙ (dp − Σ_j p·dp) per row of S. */
export function attnSoftmaxBackward(probs: usize, dprobs: usize, dscores: usize, rows: i32, S: i32): void {
  for (let r = 0; r < rows; r++) {
    const off = <usize>(r * S) << 2;
    const p = probs + off, gp = dprobs + off, gs = dscores + off;
    const c = f32x4.splat(dot(p, gp, S));
    let j = 0;
    for (; j + 4 <= S; j += 4) {
      const o = <usize>j << 2;
      v128.store(gs + o, f32x4.add(v128.load(gs + o), f32x4.mul(v128.load(p + o), f32x4.sub(v128.load(gp + o), c))));
    }
    const cs = f32x4.extract_lane(c, 0);
    for (; j < S; j++) {
      const o = <usize>j << 2;
      store<f32>(gs + o, load<f32>(gs + o) + load<f32>(p + o) * (load<f32>(gp + o) - cs));
    }
  }
}

export function attnValues(probs: usize, v: usize, out: usize, B: i32, T: i32, H: i32, D: i32, Smax: i32, S: i32, pack: usize): void {
  if (T >= BLOCKED_ROWS) {
    // out[b,:,h,:] = P (T×S) · V (S×D).
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < H; h++) {
        const map = probs + (<usize>((b * H + h) * T * S) << 2);
        sgemm(T, D, S, map, S, 1, v + headRow(b, Smax, 0, h, H, D), H * D, 1, out + headRow(b, T, 0, h, H, D), H * D, 1, false, pack);
      }
    }
    return;
  }
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < T; i++) {
      for (let h = 0; h < H; h++) {
        const o = out + (<usize>(((b * T + i) * H + h) * D) << 2);
        const p = probs + (<usize>(((b * H + h) * T + i) * S) << 2);
        memory.fill(o, 0, <usize>D << 2);
        for (let j = 0; j < S; j++) {
          const pj = load<f32>(p + (<usize>j << 2));
          if (pj != 0) axpyN(pj, v + (<usize>(((b * Smax + j) * H + h) * D) << 2), o, D);
        }
      }
    }
  }
}

/** dprobs += dout·vᵀ (every j < S), dv += probsᵀ·dout (entries with p = 0 add nothing and are skipped). */
export function attnValuesBackward(
  dout: usize, probs: usize, v: usize, dprobs: usize, dv: usize,
  B: i32, T: i32, H: i32, D: i32, Smax: i32, S: i32, pack: usize,
): void {
  const HD = H * D;
  if (T >= BLOCKED_ROWS) {
    // dP += G (T×D) · Vᵀ (D×S);  dV += Pᵀ (S×T) · G (T×D).
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < H; h++) {
        const map = <usize>((b * H + h) * T * S) << 2;
        const g = dout + headRow(b, T, 0, h, H, D), vh = headRow(b, Smax, 0, h, H, D);
        sgemm(T, S, D, g, HD, 1, v + vh, 1, HD, dprobs + map, S, 1, true, pack);
        sgemm(S, D, T, probs + map, 1, S, g, HD, 1, dv + vh, HD, 1, true, pack);
      }
    }
    return;
  }
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < T; i++) {
        const g = dout + (<usize>(((b * T + i) * H + h) * D) << 2);
        const rowOff = <usize>(((b * H + h) * T + i) * S) << 2;
        for (let j = 0; j < S; j++) {
          const vOff = <usize>(((b * Smax + j) * H + h) * D) << 2;
          const at = dprobs + rowOff + (<usize>j << 2);
          store<f32>(at, load<f32>(at) + dot(g, v + vOff, D));
          const pj = load<f32>(probs + rowOff + (<usize>j << 2));
          if (pj != 0) axpyN(pj, g, dv + vOff, D);
        }
      }
    }
  }
}
