/** SiLU, the FFN activation of the default model: x·σ(x), and dx += σ(x)·(1 + x·(1 − σ(x)))·dout. */
import { exp1, expv } from './vector';

export function silu(x: usize, out: usize, n: i32): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    v128.store(out + o, f32x4.div(v, f32x4.add(one, expv(f32x4.neg(v)))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    store<f32>(out + o, v / (1 + exp1(-v)));
  }
}

export function siluBackward(x: usize, dout: usize, dx: usize, n: i32): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    const s = f32x4.div(one, f32x4.add(one, expv(f32x4.neg(v))));
    const slope = f32x4.mul(s, f32x4.add(one, f32x4.mul(v, f32x4.sub(one, s))));
    v128.store(dx + o, f32x4.add(v128.load(dx + o), f32x4.mul(slope, v128.load(dout + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    const s: f32 = 1 / (1 + exp1(-v));
    store<f32>(dx + o, load<f32>(dx + o) + s * (1 + v * (1 - s)) * load<f32>(dout + o));
  }
}
