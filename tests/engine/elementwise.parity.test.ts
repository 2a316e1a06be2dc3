import { describe, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { expectParity } from '../harness/parity';
import { randn } from '../harness/random';

// Shape classes: tiny, not a multiple of the 256-wide workgroup, larger.
const SIZES = [3, 1000, 70_000];

describe('elementwise: webgpu and wasm vs cpu oracle', () => {
  for (const n of SIZES) {
    it(`add/mul/scale/axpy/fill/mulBackward n=${n}`, async () => {
      await expectParity(`elementwise n=${n}`, (be) => {
        const rng = new Rng(n);
        const a = be.fromArray(randn(rng, n), [n]);
        const b = be.fromArray(randn(rng, n), [n]);
        const sum = be.zeros([n]), prod = be.zeros([n]), scaled = be.zeros([n]), acc = be.zeros([n]);
        const da = be.fromArray(randn(rng, n), [n]), db = be.zeros([n]), filled = be.zeros([n]);
        be.add(a, b, sum);
        be.mul(a, b, prod);
        be.scale(a, -1.25, scaled);
        be.axpy(a, 0.5, acc);
        be.axpy(b, 2, acc);
        be.mulBackward(sum, a, b, da, db);
        be.fill(filled, 0.75);
        return { sum, prod, scaled, acc, da, db, filled };
      });
    });
  }
});
