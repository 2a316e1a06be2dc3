/** SiLU, the FFN activation of the default model: x·σ(x), and dx += σ(x)·(1 + x·(1 − σ(x)))·dout. */

export function silu(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    store<f32>(out + o, v / (1 + Mathf.exp(-v)));
  }
}

export function siluBackward(x: usize, dout: usize, dx: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    const s: f32 = 1 / (1 + Mathf.exp(-v));
    store<f32>(dx + o, load<f32>(dx + o) + s * (1 + v * (1 - s)) * load<f32>(dout + o));
  }
}
