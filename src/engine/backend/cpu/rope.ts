/** Rotary position embedding, CPU oracle (angles in float64). */
import type { Kernels } from '../../kernels';
import { checkRope } from '../../shapes/rope';
import { f32, i32 } from './data';

export const ropeCpu: Pick<Kernels, 'rope'> = {
  rope(x, positions, out, theta, inverse, accumulate) {
    const { B, T, H, D } = checkRope(x, positions, out, theta);
    const xs = f32(x), pos = i32(positions), o = f32(out);
    const sign = inverse ? -1 : 1;
    for (let bt = 0; bt < B * T; bt++) {
      for (let i = 0; i < D / 2; i++) {
        const angle = sign * pos[bt] * theta ** ((-2 * i) / D);
        const cos = Math.cos(angle), sin = Math.sin(angle);
        for (let h = 0; h < H; h++) {
          const k = (bt * H + h) * D + 2 * i;
          const a = xs[k], b = xs[k + 1];
          const ra = a * cos - b * sin, rb = a * sin + b * cos;
          o[k] = accumulate ? o[k] + ra : ra;
          o[k + 1] = accumulate ? o[k + 1] + rb : rb;
        }
      }
    }
  },
};
