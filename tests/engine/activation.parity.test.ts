import { describe, it } from 'vitest';
import type { ActivationKind } from '../../src/engine/kernels';
import { Rng } from '../../src/engine/rng';
import type { Tensor } from '../../src/engine/tensor';
import { expectParity } from '../harness/parity';
import { randn } from '../harness/random';

// Shape classes: tiny, not a multiple of the 256-wide workgroup, larger.
const SIZES = [3, 1000, 70_000];
const KINDS: ActivationKind[] = ['relu', 'silu', 'gelu', 'sigmoid'];

describe('activation: webgpu and wasm vs cpu oracle', () => {
  for (const n of SIZES) {
    it(`forward + backward of every kind, n=${n}`, async () => {
      await expectParity(`activation n=${n}`, (be) => {
        const rng = new Rng(n);
        const data = randn(rng, n, 3);
        // Large magnitudes exercise the overflow guards (exp, tanh) at both ends.
        [-100, 40, -12, 100].forEach((v, i) => (data[(i * 7) % n] = v));
        const x = be.fromArray(data, [n]);
        const dout = be.fromArray(randn(rng, n), [n]);
        const outs: Record<string, Tensor> = {};
        for (const kind of KINDS) {
          const out = be.zeros([n]), dx = be.fromArray(randn(rng, n), [n]);
          be.activation(x, out, kind);
          be.activationBackward(x, dout, dx, kind);
          outs[`${kind}.out`] = out;
          outs[`${kind}.dx`] = dx;
        }
        return outs;
      });
    });
  }
});
