import { describe, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { expectParity } from '../harness/parity';
import { randint, randn, uniform } from '../harness/random';

// Shape classes [N, V]: tiny, a vocabulary that is not a multiple of the 256-wide workgroup, larger.
const SHAPES: [number, number][] = [
  [2, 5],
  [37, 300],
  [64, 2000],
];

describe('logprob: webgpu and wasm vs cpu oracle', () => {
  for (const [N, V] of SHAPES) {
    it(`tokenLogprobs (± entropy) and its backward N=${N} V=${V}`, async () => {
      await expectParity(`tokenLogprobs N=${N} V=${V}`, (be) => {
        const rng = new Rng(N * V);
        const logits = be.fromArray(randn(rng, N * V, 3), [N, V]);
        const targets = be.fromArray(randint(rng, N, V), [N], 'i32');
        const logp = be.zeros([N]), entropy = be.zeros([N]), logpOnly = be.zeros([N]);
        be.tokenLogprobs(logits, targets, logp, entropy, 0.8);
        be.tokenLogprobs(logits, targets, logpOnly, null, 1.3);
        const dlogp = be.fromArray(randn(rng, N), [N]), dentropy = be.fromArray(randn(rng, N), [N]);
        const dlogits = be.fromArray(randn(rng, N * V, 0.1), [N, V]);
        be.tokenLogprobsBackward(logits, targets, dlogp, dentropy, dlogits, 0.8);
        const dlogitsLogpOnly = be.zeros([N, V]);
        be.tokenLogprobsBackward(logits, targets, dlogp, null, dlogitsLogpOnly, 1.3);
        return { logp, entropy, logpOnly, dlogits, dlogitsLogpOnly };
      });
    });

    it(`crossEntropy N=${N} V=${V}`, async () => {
      await expectParity(`crossEntropy N=${N} V=${V}`, (be) => {
        const rng = new Rng(N + V);
        const logits = be.fromArray(randn(rng, N * V, 3), [N, V]);
        const targets = be.fromArray(randint(rng, N, V), [N], 'i32');
        // Every third row is masked out (weight 0).
        const weights = be.fromArray(uniform(rng, N).map((w, i) => (i % 3 === 1 ? 0 : w)), [N]);
        const loss = be.zeros([N]);
        const dlogits = be.fromArray(randn(rng, N * V), [N, V]); // garbage: must be overwritten
        be.crossEntropy(logits, targets, weights, loss, dlogits);
        return { loss, dlogits };
      });
    });
  }
});
