import { describe, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { expectParity } from '../harness/parity';
import { randn } from '../harness/random';

// Shape classes: tiny, not a multiple of the 256-wide workgroup or of wasm's 4 lanes, larger.
const SIZES = [3, 1001, 70_000];
// Far tails (both signs) where a naive log(1 + e^−x) or σ would overflow or round to nothing.
const EXTREMES = [-80, 80, -30, 30, -17, 17, 0];

describe('logSigmoid: webgpu and wasm vs cpu oracle', () => {
  for (const n of SIZES) {
    it(`forward + accumulating backward, n=${n}`, async () => {
      await expectParity(`logSigmoid n=${n}`, (be) => {
        const rng = new Rng(n);
        const data = randn(rng, n, 4);
        EXTREMES.forEach((v, i) => (data[(i * 5) % n] = v));
        const x = be.fromArray(data, [n]);
        const out = be.zeros([n]);
        const dx = be.fromArray(randn(rng, n), [n]);
        be.logSigmoid(x, out);
        be.logSigmoidBackward(x, be.fromArray(randn(rng, n), [n]), dx);
        return { out, dx };
      });
    });
  }
});
