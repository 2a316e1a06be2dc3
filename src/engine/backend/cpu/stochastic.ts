/** Stochastic activation (stochA), CPU oracle. */
import type { Kernels, StochasticActivation } from '../../kernels';
import { uniformAt } from '../../rng';
import { checkStochastic } from '../../shapes/stochastic';
import type { Tensor } from '../../tensor';
import { f32, i32 } from './data';

const silu = (v: number) => v / (1 + Math.exp(-v));
const siluGrad = (v: number) => {
  const s = 1 / (1 + Math.exp(-v));
  return s * (1 + v * (1 - s));
};

/** For each element, whether SILU was drawn (the replayable Bernoulli mask). */
function drawMask(x: Tensor, seeds: Tensor, positions: Tensor, act: StochasticActivation, T: number, F: number): Uint8Array {
  const xs = f32(x), sd = i32(seeds), pos = i32(positions);
  const mask = new Uint8Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const row = Math.floor(i / F);
    if (act.region === 'negOnly' && !(xs[i] < 0)) continue;
    const counter = act.granularity === 'element' ? pos[row] * F + (i % F) : act.granularity === 'token' ? pos[row] * F : 0;
    const u = uniformAt(sd[Math.floor(row / T)] >>> 0, act.stream >>> 0, counter >>> 0);
    mask[i] = Math.fround(u) < Math.fround(act.p) ? 1 : 0;
  }
  return mask;
}

export const stochasticCpu: Pick<Kernels, 'stochActivation' | 'stochActivationBackward'> = {
  stochActivation(x, out, seeds, positions, act) {
    const { F, T } = checkStochastic('stochActivation', x, out, seeds, positions, act);
    const mask = drawMask(x, seeds, positions, act, T, F);
    const xs = f32(x), o = f32(out);
    for (let i = 0; i < xs.length; i++) o[i] = mask[i] ? silu(xs[i]) : Math.max(xs[i], 0);
  },
  stochActivationBackward(x, dout, dx, seeds, positions, act) {
    const { F, T } = checkStochastic('stochActivationBackward', x, dx, seeds, positions, act);
    const mask = drawMask(x, seeds, positions, act, T, F);
    const xs = f32(x), g = f32(dout), d = f32(dx);
    for (let i = 0; i < xs.length; i++) d[i] += (mask[i] ? siluGrad(xs[i]) : xs[i] > 0 ? 1 : 0) * g[i];
  },
};
