/**
 * Finite-difference check of a backward kernel on a backend whose tensors live in CPU memory (cpu or wasm).
 * The scalar probed is L = Σ w·out with fixed random weights w (accumulated in float64), so every output element
 * matters; central differences with step `eps` are compared against the analytic gradient the backward produced
 * for dout = w.
 */
import type { Backend } from '../../src/engine/backend';
import { Rng } from '../../src/engine/rng';
import type { Tensor } from '../../src/engine/tensor';
import { assertClose, type Tolerance } from './compare';

export interface GradcheckSpec {
  be: Backend;
  /** f32 input tensors whose gradient is checked (their data is perturbed in place and restored). */
  wrt: Record<string, Tensor>;
  /** Recompute the forward from the current input data; returns the output(s). */
  forward: () => Tensor | Tensor[];
  /** Given dout tensors (same shapes as the outputs), return the gradients for every name in `wrt`. */
  backward: (dout: Tensor[]) => Record<string, Tensor>;
  eps?: number;
  tol?: Tolerance;
  seed?: number;
}

function cpuArray(t: Tensor): Float32Array {
  if (t.storage.kind !== 'cpu' || t.dtype !== 'f32') throw new Error(`gradcheck needs cpu f32 tensors, got ${t}`);
  return t.storage.data as Float32Array;
}

export function gradcheck(spec: GradcheckSpec): void {
  const { be, eps = 1e-2, tol = { atol: 2e-3, rtol: 2e-2 } } = spec;
  const rng = new Rng(spec.seed ?? 1234, 77);
  const outs0 = [spec.forward()].flat();
  const weights = outs0.map((o) => Float64Array.from({ length: o.numel }, () => rng.normal()));
  const loss = (): number => {
    let acc = 0;
    [spec.forward()].flat().forEach((o, k) => {
      const d = cpuArray(o);
      for (let i = 0; i < d.length; i++) acc += weights[k][i] * d[i];
    });
    return acc;
  };
  const douts = outs0.map((o, k) => be.fromArray(weights[k], o.shape, 'f32', `dout${k}`));
  spec.forward();
  const grads = spec.backward(douts);
  for (const [name, t] of Object.entries(spec.wrt)) {
    const x = cpuArray(t);
    const numeric = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const orig = x[i];
      x[i] = orig + eps;
      const up = loss();
      x[i] = orig - eps;
      const down = loss();
      x[i] = orig;
      numeric[i] = (up - down) / (2 * eps);
    }
    const g = grads[name];
    if (!g) throw new Error(`gradcheck: backward returned no gradient for ${name}`);
    assertClose(`d${name} (analytic vs finite difference)`, cpuArray(g), numeric, tol);
  }
}
