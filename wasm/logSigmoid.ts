/**
 * log σ(x) = min(x, 0) − log1p(e^(−|x|)) and dx += dout·σ(−x), with σ(−x) = 1/(1 + e^x). Both use only exponents
 * that cannot overflow: expv clamps at 88, where 1/(1 + e^88) ≈ 6e−39 is still the right answer to f32 precision.
 */
import { exp1, expv } from './vector';

export function logSigmoid(x: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    const e = expv(f32x4.neg(f32x4.abs(v)));
    // No SIMD log: the logarithm goes lane by lane (DPO calls this on one value per preference pair).
    const l = f32x4(
      Mathf.log1p(f32x4.extract_lane(e, 0)),
      Mathf.log1p(f32x4.extract_lane(e, 1)),
      Mathf.log1p(f32x4.extract_lane(e, 2)),
      Mathf.log1p(f32x4.extract_lane(e, 3)),
    );
    v128.store(out + o, f32x4.sub(f32x4.min(v, zero), l));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    store<f32>(out + o, Mathf.min(v, 0) - Mathf.log1p(exp1(-Mathf.abs(v))));
  }
}

export function logSigmoidBackward(x: usize, dout: usize, dx: usize, n: i32): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const s = f32x4.div(one, f32x4.add(one, expv(v128.load(x + o))));
    v128.store(dx + o, f32x4.add(v128.load(dx + o), f32x4.mul(s, v128.load(dout + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const s: f32 = 1 / (1 + exp1(load<f32>(x + o)));
    store<f32>(dx + o, load<f32>(dx + o) + s * load<f32>(dout + o));
  }
}
