import { describe, it } from 'vitest';
import type { Backend } from '../../src/engine/backend';
import { Rng } from '../../src/engine/rng';
import { expectParity } from '../harness/parity';
import { randn } from '../harness/random';

// Shape classes: tiny; not a multiple of the 64×64 output tile or the 16-wide K step; larger (several tiles in M
// and N, a partial last K step). Each test stays under ~10 MFLOP for SwiftShader.
const CLASSES = [
  { name: 'tiny', M: 2, N: 3, K: 4, batch: 2 },
  { name: 'ragged', M: 17, N: 33, K: 23, batch: 3 },
  { name: 'larger', M: 130, N: 72, K: 70, batch: 2 },
];
// Float sums in a different order: the oracle adds in float64, the GPU in f32 per 16-wide K step.
const TOL = { atol: 1e-4, rtol: 1e-4 };

const operand = (be: Backend, rng: Rng, shape: number[]) => be.fromArray(randn(rng, shape.reduce((p, d) => p * d, 1)), shape);

describe('matmul: webgpu and wasm vs cpu oracle', () => {
  for (const { name, M, N, K, batch } of CLASSES) {
    it(`all four layouts, overwrite and accumulate (${name} M=${M} N=${N} K=${K})`, async () => {
      await expectParity(`matmul ${name}`, (be) => {
        const rng = new Rng(M * 1000 + N);
        const outs: Record<string, ReturnType<Backend['zeros']>> = {};
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            const a = operand(be, rng, transA ? [K, M] : [M, K]);
            const b = operand(be, rng, transB ? [N, K] : [K, N]);
            const fresh = be.zeros([M, N]);
            const acc = operand(be, rng, [M, N]);
            be.matmul(a, b, fresh, { transA, transB });
            // The backward pattern: a gradient buffer that already holds something, scaled contribution added.
            be.matmul(a, b, acc, { transA, transB, alpha: -0.5, accumulate: true });
            const tag = `${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`;
            outs[`out${tag}`] = fresh;
            outs[`acc${tag}`] = acc;
          }
        }
        return outs;
      }, TOL);
    });

    it(`batched, with a 2-D operand broadcast over the batch (${name} batch=${batch})`, async () => {
      await expectParity(`matmul batched ${name}`, (be) => {
        const rng = new Rng(M + N * 7 + batch);
        const both = be.zeros([batch, M, N]);
        be.matmul(operand(be, rng, [batch, K, M]), operand(be, rng, [batch, K, N]), both, { transA: true });
        const sharedB = be.zeros([batch, M, N]);
        be.matmul(operand(be, rng, [batch, M, K]), operand(be, rng, [N, K]), sharedB, { transB: true, alpha: 2 });
        const sharedA = operand(be, rng, [batch, M, N]);
        be.matmul(operand(be, rng, [M, K]), operand(be, rng, [batch, N, K]), sharedA, { transB: true, accumulate: true });
        return { both, sharedB, sharedA };
      }, TOL);
    });
  }
});
