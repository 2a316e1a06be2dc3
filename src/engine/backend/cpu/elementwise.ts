/** Elementwise kernels, CPU oracle. */
import type { Kernels } from '../../kernels';
import { checkAxpy, checkBinary, checkMulBackward, checkUnary } from '../../shapes/elementwise';
import { f32 } from './data';

export const elementwiseCpu: Pick<Kernels, 'add' | 'mul' | 'scale' | 'axpy' | 'mulBackward' | 'fill'> = {
  add(a, b, out) {
    checkBinary('add', a, b, out);
    const x = f32(a), y = f32(b), o = f32(out);
    for (let i = 0; i < o.length; i++) o[i] = x[i] + y[i];
  },
  mul(a, b, out) {
    checkBinary('mul', a, b, out);
    const x = f32(a), y = f32(b), o = f32(out);
    for (let i = 0; i < o.length; i++) o[i] = x[i] * y[i];
  },
  scale(a, s, out) {
    checkUnary('scale', a, out);
    const x = f32(a), o = f32(out);
    for (let i = 0; i < o.length; i++) o[i] = s * x[i];
  },
  axpy(src, alpha, dst) {
    checkAxpy(src, dst);
    const x = f32(src), o = f32(dst);
    for (let i = 0; i < o.length; i++) o[i] += alpha * x[i];
  },
  mulBackward(dout, a, b, da, db) {
    checkMulBackward(dout, a, b, da, db);
    const g = f32(dout), x = f32(a), y = f32(b);
    if (da) {
      const d = f32(da);
      for (let i = 0; i < d.length; i++) d[i] += g[i] * y[i];
    }
    if (db) {
      const d = f32(db);
      for (let i = 0; i < d.length; i++) d[i] += g[i] * x[i];
    }
  },
  fill(out, value) {
    f32(out).fill(value);
  },
};
