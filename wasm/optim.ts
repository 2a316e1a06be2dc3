/** Optimiser kernels: the squared norm of a gradient and the AdamW update (see the oracle for the maths). */

/** Σ x² in float64 (the global norm adds many tensors; f64 keeps it order-insensitive at these sizes). */
export function sumSquares(x: usize, n: i32): f64 {
  let s0: f64 = 0, s1: f64 = 0;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const a = <f64>load<f32>(x + (<usize>i << 2)), b = <f64>load<f32>(x + (<usize>(i + 1) << 2));
    s0 += a * a;
    s1 += b * b;
  }
  if (i < n) {
    const a = <f64>load<f32>(x + (<usize>i << 2));
    s0 += a * a;
  }
  return s0 + s1;
}

/**
 * g' = factor·g; m = β1·m + (1−β1)·g'; v = β2·v + (1−β2)·g'²; p −= lr·(m/c1 / (sqrt(v/c2) + eps) + wd·p),
 * with c1, c2 the bias corrections. 1−β1, 1−β2, c1 and c2 come from the host, computed in f64: from the f32 β
 * here they would be off by up to 1e-5 relative (f32(0.999) = 0.99900001).
 */
export function adamw(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  factor: f32, lr: f32, beta1: f32, beta2: f32, oneMinusBeta1: f32, oneMinusBeta2: f32, eps: f32, wd: f32, c1: f32, c2: f32,
): void {
  const fv = f32x4.splat(factor), b1 = f32x4.splat(beta1), b2 = f32x4.splat(beta2);
  const nb1 = f32x4.splat(oneMinusBeta1), nb2 = f32x4.splat(oneMinusBeta2);
  const cv1 = f32x4.splat(c1), cv2 = f32x4.splat(c2), ev = f32x4.splat(eps), lv = f32x4.splat(lr), wv = f32x4.splat(wd);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const gi = f32x4.mul(fv, v128.load(g + o));
    const mi = f32x4.add(f32x4.mul(b1, v128.load(m + o)), f32x4.mul(nb1, gi));
    const vi = f32x4.add(f32x4.mul(b2, v128.load(v + o)), f32x4.mul(nb2, f32x4.mul(gi, gi)));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const pi = v128.load(p + o);
    const stepv = f32x4.div(f32x4.div(mi, cv1), f32x4.add(f32x4.sqrt(f32x4.div(vi, cv2)), ev));
    v128.store(p + o, f32x4.sub(pi, f32x4.mul(lv, f32x4.add(stepv, f32x4.mul(wv, pi)))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gi = factor * load<f32>(g + o);
    const mi = beta1 * load<f32>(m + o) + oneMinusBeta1 * gi;
    const vi = beta2 * load<f32>(v + o) + oneMinusBeta2 * gi * gi;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    const pi = load<f32>(p + o);
    store<f32>(p + o, pi - lr * ((mi / c1) / (Mathf.sqrt(vi / c2) + eps) + wd * pi));
  }
}
