import { describe, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { expectParity } from '../harness/parity';
import { randn } from '../harness/random';

describe('policy loss: webgpu and wasm vs cpu oracle', () => {
  for (const n of [5, 1000, 50_000]) {
    it(`n=${n}`, async () => {
      await expectParity(`policyLoss n=${n}`, (be) => {
        const rng = new Rng(n);
        const t = (data: Float32Array) => be.fromArray(data, [n]);
        const inputs = {
          logp: t(randn(rng, n, 0.3)),
          oldLogp: t(randn(rng, n, 0.3)),
          refLogp: t(randn(rng, n, 0.3)),
          advantages: t(randn(rng, n)),
          weights: t(Float32Array.from({ length: n }, () => rng.uniform())),
        };
        const outputs = { stats: be.zeros([3, n]), dlogp: be.zeros([n]) };
        be.policyLoss(inputs, outputs, { epsLow: 0.2, epsHigh: 0.28, beta: 0.04 });
        return outputs;
      });
    });
  }
});
