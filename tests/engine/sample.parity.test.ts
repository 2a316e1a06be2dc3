import { describe, it } from 'vitest';
import type { SampleOptions } from '../../src/engine/kernels';
import { Rng } from '../../src/engine/rng';
import { expectParity } from '../harness/parity';
import { randn } from '../harness/random';

// Draws and ids must agree exactly: the RNG is bit-identical and token ranks are exact on both sides.
const exact = { atol: 0, rtol: 0 };

// Shape classes [N, V]: tiny, a vocabulary that is not a multiple of the 256-wide workgroup, larger.
const SHAPES: [number, number][] = [
  [3, 5],
  [40, 300],
  [8, 1000],
];

const OPTIONS: Record<string, SampleOptions> = {
  plain: { temperature: 1, topK: 0, topP: 1, greedy: false },
  topK: { temperature: 0.7, topK: 20, topP: 1, greedy: false },
  topP: { temperature: 1.3, topK: 0, topP: 0.9, greedy: false },
  both: { temperature: 0.5, topK: 50, topP: 0.8, greedy: false },
  greedy: { temperature: 1, topK: 0, topP: 1, greedy: true },
};

describe('uniform: webgpu and wasm vs cpu oracle (bit for bit)', () => {
  for (const n of [3, 1000, 100_000]) {
    it(`n=${n}`, async () => {
      await expectParity(
        `uniform n=${n}`,
        (be) => {
          const outs: Record<string, ReturnType<typeof be.zeros>> = {};
          for (const [seed, stream, counter] of [[0, 0, 0], [123456789, 5, 77], [0xdeadbeef, 0xffffffff, 2 ** 32 - 500]]) {
            const out = be.zeros([n]);
            be.uniform(out, { seed, stream, counter });
            outs[`seed${seed}.stream${stream}`] = out;
          }
          return outs;
        },
        exact,
      );
    });
  }
});

describe('sample: webgpu and wasm vs cpu oracle (exact ids)', () => {
  for (const [N, V] of SHAPES) {
    it(`N=${N} V=${V}`, async () => {
      await expectParity(
        `sample N=${N} V=${V}`,
        (be) => {
          const rng = new Rng(N * V);
          const logits = be.fromArray(randn(rng, N * V, 3), [N, V]);
          // Integer logits make exact ties, which both sides must break toward the lower index.
          const tied = be.fromArray(randn(rng, N * V, 2).map(Math.round), [N, V]);
          const outs: Record<string, ReturnType<typeof be.zeros>> = {};
          Object.entries(OPTIONS).forEach(([name, opts], k) => {
            for (const [which, x] of [['random', logits], ['tied', tied]] as const) {
              const ids = be.zeros([N], 'i32');
              be.sample(x, ids, opts, { seed: 1000 + k, stream: 2, counter: 7 * N });
              outs[`${name}.${which}`] = ids;
            }
          });
          return outs;
        },
        exact,
      );
    });
  }
});
