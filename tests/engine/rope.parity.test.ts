import { describe, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { expectParity } from '../harness/parity';
import { randint, randn } from '../harness/random';

// Shape classes (B, T, H, D): tiny; pair count (315) not a multiple of the workgroup; larger, at positions up to
// 512. f32 angles pos·freq lose ~pos·6e-8 rad against the float64 oracle, hence atol 1e-4.
const SHAPES = [[1, 2, 1, 2], [3, 7, 5, 6], [4, 64, 4, 16]] as const;

describe('rope: webgpu and wasm vs cpu oracle', () => {
  for (const [B, T, H, D] of SHAPES) {
    it(`forward, inverse and accumulate B=${B} T=${T} H=${H} D=${D}`, async () => {
      await expectParity(
        `rope ${B}x${T}x${H}x${D}`,
        (be) => {
          const rng = new Rng(B * T * H * D);
          const shape = [B, T, H, D], n = B * T * H * D;
          const x = be.fromArray(randn(rng, n), shape);
          const positions = be.fromArray(randint(rng, B * T, 512), [B, T], 'i32');
          const fwd = be.zeros(shape), inv = be.zeros(shape), acc = be.fromArray(randn(rng, n), shape);
          be.rope(x, positions, fwd, 10000, false, false);
          be.rope(x, positions, inv, 500, true, false);
          be.rope(x, positions, acc, 10000, true, true);
          return { fwd, inv, acc };
        },
        { atol: 1e-4, rtol: 1e-4 },
      );
    });
  }
});
