import { describe, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { expectParity } from '../harness/parity';
import { randn } from '../harness/random';

// Shape classes (B, T, F): tiny, not a multiple of the workgroup, larger.
const SHAPES = [[1, 2, 4], [3, 7, 37], [4, 32, 128]] as const;

describe('stochastic activation: webgpu and wasm vs cpu oracle', () => {
  for (const [B, T, F] of SHAPES) {
    it(`forward + backward, B=${B} T=${T} F=${F}`, async () => {
      await expectParity(`stochA ${B}x${T}x${F}`, (be) => {
        const rng = new Rng(B * 100 + F);
        const x = be.fromArray(randn(rng, B * T * F), [B * T, F]);
        const dout = be.fromArray(randn(rng, B * T * F), [B * T, F]);
        const seeds = be.fromArray(Array.from({ length: B }, () => rng.int(2 ** 31)), [B], 'i32');
        const positions = be.fromArray(Array.from({ length: B * T }, (_, n) => (n % T) + 5), [B * T], 'i32');
        const outs: Record<string, ReturnType<typeof be.zeros>> = {};
        for (const [name, act] of [
          ['neg', { p: 0.3, region: 'negOnly', stream: 2, granularity: 'element' }],
          ['all', { p: 0.7, region: 'all', stream: 5, granularity: 'token' }],
          ['layer', { p: 0.5, region: 'negOnly', stream: 1, granularity: 'layer' }],
        ] as const) {
          const out = be.zeros([B * T, F]), dx = be.fromArray(randn(rng, B * T * F), [B * T, F]);
          be.stochActivation(x, out, seeds, positions, act);
          be.stochActivationBackward(x, dout, dx, seeds, positions, act);
          outs[`${name}.out`] = out;
          outs[`${name}.dx`] = dx;
        }
        return outs;
      });
    });
  }
});
