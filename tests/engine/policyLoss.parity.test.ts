import { describe, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { expectParity } from '../harness/parity';
import { randn } from '../harness/random';

describe('policy loss: webgpu and wasm vs cpu oracle', () => {
  // Token level without δ; then rows of T tokens at sequence level (GSPO) with δ, the last row width a batch's longest.
  const cases = [
    { n: 5, T: 0, delta: null },
    { n: 1000, T: 0, delta: null },
    { n: 50_000, T: 0, delta: null },
    { n: 1000, T: 0, delta: 1.35 },
    { n: 1000, T: 8, delta: null },
    { n: 50_000, T: 100, delta: 1.35 },
  ];
  for (const { n, T, delta } of cases) {
    const name = `policyLoss n=${n} ${T ? `sequence rows of ${T}` : 'token'} δ=${delta}`;
    it(name, async () => {
      await expectParity(name, (be) => {
        const rng = new Rng(n + T);
        const t = (data: Float32Array) => be.fromArray(data, [n]);
        const inputs = {
          logp: t(randn(rng, n, 0.3)),
          oldLogp: t(randn(rng, n, 0.3)),
          refLogp: t(randn(rng, n, 0.3)),
          advantages: t(randn(rng, n)),
          weights: t(Float32Array.from({ length: n }, () => rng.uniform())),
        };
        // Each row counts a random prefix of its tokens (at least one) in its mean log-ratio.
        const mean = new Float32Array(n);
        for (let row = 0; T && row < n / T; row++) {
          const counted = 1 + Math.floor(rng.uniform() * T);
          mean.fill(1 / counted, row * T, row * T + counted);
        }
        const sequenceMean = T ? { sequenceMean: be.fromArray(mean, [n / T, T]) } : {};
        const outputs = { stats: be.zeros([3, n]), dlogp: be.zeros([n]) };
        be.policyLoss({ ...inputs, ...sequenceMean }, outputs, { epsLow: 0.2, epsHigh: 0.28, beta: 0.04, delta });
        return outputs;
      });
    });
  }
});
