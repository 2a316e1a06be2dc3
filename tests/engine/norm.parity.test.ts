import { describe, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { expectParity } from '../harness/parity';
import { randn } from '../harness/random';

// Shape classes (N, C): tiny; C above the 256-wide workgroup and N odd; many short rows (dw sums over N > 256).
const SHAPES = [[2, 4], [37, 300], [600, 16]] as const;

describe('rmsnorm: webgpu and wasm vs cpu oracle', () => {
  for (const [N, C] of SHAPES) {
    it(`forward + backward N=${N} C=${C}`, async () => {
      await expectParity(`rmsnorm ${N}x${C}`, (be) => {
        const rng = new Rng(N * 1000 + C);
        const x = be.fromArray(randn(rng, N * C), [N, C]);
        const w = be.fromArray(randn(rng, C), [C]);
        const dout = be.fromArray(randn(rng, N * C), [N, C]);
        const out = be.zeros([N, C]), rstd = be.zeros([N]);
        // Gradients start non-zero so accumulation is checked too.
        const dx = be.fromArray(randn(rng, N * C), [N, C]), dw = be.fromArray(randn(rng, C), [C]);
        be.rmsnorm(x, w, out, rstd, 1e-5);
        be.rmsnormBackward(dout, x, w, rstd, dx, dw);
        return { out, rstd, dx, dw };
      });
    });
  }
});
