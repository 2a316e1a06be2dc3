/**
 * Single-precision matmul C = alpha·op(A)·op(B) (+ C when accumulating), GotoBLAS-style: op(B) is packed in
 * KC×NC blocks into panels NR columns wide, op(A) in MC×KC blocks into panels MR rows tall, and a 4×8 register
 * tile (eight 4-lane accumulators) sweeps them. Packing reads any stride, so the four transpose layouts are all
 * "op(A)[m,k] = a[m·rsA + k·csA]" to this kernel. Pointers are byte offsets into the imported memory.
 *
 * Scratch layout at `pack` (float counts): packed A [MC·KC], packed B [KC·NC], one edge tile [MR·NR].
 */

const MR = 4;
const NR = 8;
/** K depth of a packed block: a B micro-panel (KC·NR floats, 8 KiB) stays in L1. */
const KC = 256;
/** Rows of a packed A block (MC·KC floats, 128 KiB): stays in L2 while the B panels stream past. */
const MC = 128;
/** Columns of a packed B block (KC·NC floats, 1 MiB). */
const NC = 1024;

/** Floats of scratch `sgemm` needs at `pack`. */
export const SGEMM_SCRATCH_FLOATS: i32 = MC * KC + KC * NC + MR * NR;

export function sgemm(
  M: i32, N: i32, K: i32,
  a: usize, rsA: i32, csA: i32,
  b: usize, rsB: i32, csB: i32,
  c: usize, ldc: i32,
  alpha: f32, accumulate: bool, pack: usize,
): void {
  if (K == 0) {
    if (!accumulate) for (let m = 0; m < M; m++) memory.fill(c + (<usize>(m * ldc) << 2), 0, <usize>N << 2);
    return;
  }
  const packA = pack;
  const packB = pack + (<usize>(MC * KC) << 2);
  const edge = packB + (<usize>(KC * NC) << 2);
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      packPanelsB(b, rsB, csB, pc, kc, jc, nc, packB);
      const add = accumulate || pc > 0;
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        packPanelsA(a, rsA, csA, ic, mc, pc, kc, packA);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const pb = packB + (<usize>(jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const out = c + (<usize>((ic + ir) * ldc + jc + jr) << 2);
            tile(kc, packA + (<usize>(ir * kc) << 2), pb, out, ldc, alpha, add, rows, cols, edge);
          }
        }
      }
    }
  }
}

/** op(B)[k0+k, j0+j] into panels of NR columns: panel p, depth k at dst[(p·kc + k)·NR + j % NR], zero past nc. */
function packPanelsB(b: usize, rs: i32, cs: i32, k0: i32, kc: i32, j0: i32, nc: i32, dst: usize): void {
  for (let p = 0; p < nc; p += NR) {
    const width = min(NR, nc - p);
    const panel = dst + (<usize>(p * kc) << 2);
    const src = b + (<usize>(k0 * rs + (j0 + p) * cs) << 2);
    if (width == NR && cs == 1) {
      // Rows of op(B) are contiguous: two vector copies per depth step.
      for (let k = 0; k < kc; k++) {
        const row = src + (<usize>(k * rs) << 2);
        const to = panel + (<usize>(k * NR) << 2);
        v128.store(to, v128.load(row));
        v128.store(to, v128.load(row, 16), 16);
      }
    } else {
      // Column by column, so a transposed B (rs = 1) is read contiguously.
      for (let j = 0; j < NR; j++) {
        const to = panel + (<usize>j << 2);
        if (j >= width) {
          for (let k = 0; k < kc; k++) store<f32>(to + (<usize>(k * NR) << 2), 0);
          continue;
        }
        const col = src + (<usize>(j * cs) << 2);
        for (let k = 0; k < kc; k++) store<f32>(to + (<usize>(k * NR) << 2), load<f32>(col + (<usize>(k * rs) << 2)));
      }
    }
  }
}

/** op(A)[i0+i, k0+k] into panels of MR rows: panel r, depth k at dst[(r·kc + k)·MR + i % MR], zero past mc. */
function packPanelsA(a: usize, rs: i32, cs: i32, i0: i32, mc: i32, k0: i32, kc: i32, dst: usize): void {
  for (let r = 0; r < mc; r += MR) {
    const height = min(MR, mc - r);
    const panel = dst + (<usize>(r * kc) << 2);
    const src = a + (<usize>((i0 + r) * rs + k0 * cs) << 2);
    if (height == MR && rs == 1) {
      // Columns of op(A) are contiguous (A transposed): one vector per depth step.
      for (let k = 0; k < kc; k++) v128.store(panel + (<usize>(k * MR) << 2), v128.load(src + (<usize>(k * cs) << 2)));
    } else if (height == MR && cs == 1) {
      // Rows are contiguous (A as stored): 4×4 blocks, transposed in registers.
      const r0 = src, r1 = src + (<usize>rs << 2), r2 = src + (<usize>(2 * rs) << 2), r3 = src + (<usize>(3 * rs) << 2);
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const o = <usize>k << 2;
        transpose4(v128.load(r0 + o), v128.load(r1 + o), v128.load(r2 + o), v128.load(r3 + o), panel + (<usize>(k * MR) << 2));
      }
      for (; k < kc; k++) {
        const o = <usize>k << 2, to = panel + (<usize>(k * MR) << 2);
        store<f32>(to, load<f32>(r0 + o));
        store<f32>(to, load<f32>(r1 + o), 4);
        store<f32>(to, load<f32>(r2 + o), 8);
        store<f32>(to, load<f32>(r3 + o), 12);
      }
    } else {
      for (let i = 0; i < MR; i++) {
        const to = panel + (<usize>i << 2);
        if (i >= height) {
          for (let k = 0; k < kc; k++) store<f32>(to + (<usize>(k * MR) << 2), 0);
          continue;
        }
        const row = src + (<usize>(i * rs) << 2);
        for (let k = 0; k < kc; k++) store<f32>(to + (<usize>(k * MR) << 2), load<f32>(row + (<usize>(k * cs) << 2)));
      }
    }
  }
}

/** Stores the transpose of the 4×4 block with rows a, b, c, d as four vectors at `to`. */
@inline
function transpose4(a: v128, b: v128, c: v128, d: v128, to: usize): void {
  const ab01 = f32x4.shuffle(a, b, 0, 4, 1, 5), cd01 = f32x4.shuffle(c, d, 0, 4, 1, 5);
  const ab23 = f32x4.shuffle(a, b, 2, 6, 3, 7), cd23 = f32x4.shuffle(c, d, 2, 6, 3, 7);
  v128.store(to, f32x4.shuffle(ab01, cd01, 0, 1, 4, 5));
  v128.store(to, f32x4.shuffle(ab01, cd01, 2, 3, 6, 7), 16);
  v128.store(to, f32x4.shuffle(ab23, cd23, 0, 1, 4, 5), 32);
  v128.store(to, f32x4.shuffle(ab23, cd23, 2, 3, 6, 7), 48);
}

/** One MR×NR tile of C from packed panels; `rows`×`cols` of it are inside C. */
@inline
function tile(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, alpha: f32, add: bool, rows: i32, cols: i32, edge: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let x = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(x, b0));
    c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(pa, 4);
    c10 = f32x4.add(c10, f32x4.mul(x, b0));
    c11 = f32x4.add(c11, f32x4.mul(x, b1));
    x = v128.load32_splat(pa, 8);
    c20 = f32x4.add(c20, f32x4.mul(x, b0));
    c21 = f32x4.add(c21, f32x4.mul(x, b1));
    x = v128.load32_splat(pa, 12);
    c30 = f32x4.add(c30, f32x4.mul(x, b0));
    c31 = f32x4.add(c31, f32x4.mul(x, b1));
    pa += MR << 2;
    pb += NR << 2;
  }
  const s = f32x4.splat(alpha);
  const full = rows == MR && cols == NR;
  // A partial tile goes through `edge` and is copied element by element.
  const ld: usize = full ? <usize>ldc << 2 : NR << 2;
  const dst = full ? c : edge;
  const addHere = add && full;
  storeRow(dst, s, c00, c01, addHere);
  storeRow(dst + ld, s, c10, c11, addHere);
  storeRow(dst + 2 * ld, s, c20, c21, addHere);
  storeRow(dst + 3 * ld, s, c30, c31, addHere);
  if (full) return;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const to = c + (<usize>(i * ldc + j) << 2);
      const v = load<f32>(edge + (<usize>(i * NR + j) << 2));
      store<f32>(to, add ? load<f32>(to) + v : v);
    }
  }
}

@inline
function storeRow(to: usize, s: v128, lo: v128, hi: v128, add: bool): void {
  let l = f32x4.mul(s, lo), h = f32x4.mul(s, hi);
  if (add) {
    l = f32x4.add(v128.load(to), l);
    h = f32x4.add(v128.load(to, 16), h);
  }
  v128.store(to, l);
  v128.store(to, h, 16);
}
