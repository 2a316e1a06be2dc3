import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { gpuBackend } from '../harness/gpu';
import { expectParity } from '../harness/parity';
import { randint, randn } from '../harness/random';

// Shape classes (N, V, C): tiny; N·C and V·C not multiples of the workgroup; larger (ids repeat in every class).
const SHAPES = [[3, 2, 2], [37, 11, 30], [256, 64, 128]] as const;

describe('embedding: webgpu and wasm vs cpu oracle', () => {
  for (const [N, V, C] of SHAPES) {
    it(`gather + scatter-add N=${N} V=${V} C=${C}`, async () => {
      await expectParity(`embedding ${N}x${V}x${C}`, (be) => {
        const rng = new Rng(N * V + C);
        const ids = be.fromArray(randint(rng, N, V), [N], 'i32');
        const table = be.fromArray(randn(rng, V * C), [V, C]);
        const dout = be.fromArray(randn(rng, N * C), [N, C]);
        const out = be.zeros([N, C]), dtable = be.fromArray(randn(rng, V * C), [V, C]);
        be.embedding(ids, table, out);
        be.embeddingBackward(ids, dout, dtable);
        return { out, dtable };
      });
    });
  }

  it('gives zero rows for out-of-range ids and ignores them in the backward (the GPU cannot throw)', async () => {
    const be = await gpuBackend();
    const ids = be.fromArray([1, -1, 2, 0], [4], 'i32');
    const table = be.fromArray([1, 2, 3, 4], [2, 2]);
    const out = be.zeros([4, 2]), dtable = be.zeros([2, 2]);
    be.embedding(ids, table, out);
    be.embeddingBackward(ids, be.fromArray([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]), dtable);
    expect(Array.from(await be.read(out))).toEqual([3, 4, 0, 0, 0, 0, 1, 2]);
    expect(Array.from(await be.read(dtable))).toEqual([7, 8, 1, 2]);
    for (const t of [ids, table, out, dtable]) be.release(t);
  });
});
