/** RMSNorm over rows of C: forward and backward (see the oracle for the derivative). */
import { dot } from './vector';

export function rmsnorm(x: usize, w: usize, out: usize, rstd: usize, N: i32, C: i32, eps: f32): void {
  for (let n = 0; n < N; n++) {
    const xr = x + (<usize>(n * C) << 2), o = out + (<usize>(n * C) << 2);
    const s: f32 = 1 / Mathf.sqrt(dot(xr, xr, C) / <f32>C + eps);
    store<f32>(rstd + (<usize>n << 2), s);
    const sv = f32x4.splat(s);
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const k = <usize>c << 2;
      v128.store(o + k, f32x4.mul(f32x4.mul(v128.load(xr + k), sv), v128.load(w + k)));
    }
    for (; c < C; c++) {
      const k = <usize>c << 2;
      store<f32>(o + k, load<f32>(xr + k) * s * load<f32>(w + k));
    }
  }
}

/** dx += r·w⊙g − (r³/C)·(Σ g·w·x)·x per row; dw += Σ_n g⊙x·r. */
export function rmsnormBackward(dout: usize, x: usize, w: usize, rstd: usize, dx: usize, dw: usize, N: i32, C: i32): void {
  for (let n = 0; n < N; n++) {
    const row = <usize>(n * C) << 2;
    const g = dout + row, xr = x + row, d = dx + row;
    const s = load<f32>(rstd + (<usize>n << 2));
    let acc = f32x4.splat(0);
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const k = <usize>c << 2;
      acc = f32x4.add(acc, f32x4.mul(f32x4.mul(v128.load(g + k), v128.load(w + k)), v128.load(xr + k)));
    }
    let gwx = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
    for (; c < C; c++) {
      const k = <usize>c << 2;
      gwx += load<f32>(g + k) * load<f32>(w + k) * load<f32>(xr + k);
    }
    const coef: f32 = (s * s * s * gwx) / <f32>C;
    const sv = f32x4.splat(s), cv = f32x4.splat(coef);
    c = 0;
    for (; c + 4 <= C; c += 4) {
      const k = <usize>c << 2;
      const xv = v128.load(xr + k), gv = v128.load(g + k);
      const upd = f32x4.sub(f32x4.mul(f32x4.mul(sv, v128.load(w + k)), gv), f32x4.mul(cv, xv));
      v128.store(d + k, f32x4.add(v128.load(d + k), upd));
      v128.store(dw + k, f32x4.add(v128.load(dw + k), f32x4.mul(f32x4.mul(gv, xv), sv)));
    }
    for (; c < C; c++) {
      const k = <usize>c << 2;
      const xv = load<f32>(xr + k), gv = load<f32>(g + k);
      store<f32>(d + k, load<f32>(d + k) + s * load<f32>(w + k) * gv - coef * xv);
      store<f32>(dw + k, load<f32>(dw + k) + gv * xv * s);
    }
  }
}
