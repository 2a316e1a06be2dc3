import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { Rng } from '../../src/engine/rng';
import { gradcheck } from '../harness/gradcheck';
import { randint, randn } from '../harness/random';

const be = createCpuBackend();

describe('embedding oracle', () => {
  it('gathers rows and scatter-adds repeated ids', async () => {
    const table = be.fromArray([1, 2, 3, 4, 5, 6], [3, 2]);
    const ids = be.fromArray([2, 0, 2], [3], 'i32');
    const out = be.zeros([3, 2]);
    be.embedding(ids, table, out);
    expect(Array.from(await be.read(out))).toEqual([5, 6, 1, 2, 5, 6]);
    const dtable = be.fromArray([1, 1, 1, 1, 1, 1], [3, 2]);
    be.embeddingBackward(ids, be.fromArray([1, 10, 2, 20, 3, 30], [3, 2]), dtable);
    expect(Array.from(await be.read(dtable))).toEqual([3, 21, 1, 1, 5, 41]);
  });

  it('backward matches finite differences', () => {
    const rng = new Rng(8);
    const [N, V, C] = [9, 4, 3];
    const ids = be.fromArray(randint(rng, N, V), [N], 'i32');
    const table = be.fromArray(randn(rng, V * C), [V, C]);
    const out = be.zeros([N, C]);
    gradcheck({
      be,
      wrt: { table },
      forward: () => (be.embedding(ids, table, out), out),
      backward: ([dout]) => {
        const dtable = be.zeros([V, C]);
        be.embeddingBackward(ids, dout, dtable);
        return { table: dtable };
      },
    });
  });

  it('rejects ids outside the table', () => {
    const table = be.zeros([3, 2]), out = be.zeros([2, 2]);
    expect(() => be.embedding(be.fromArray([0, 3], [2], 'i32'), table, out)).toThrow(/embedding: ids\[1\] = 3 is outside the table's \[0, 3\)/);
    expect(() => be.embeddingBackward(be.fromArray([-1, 0], [2], 'i32'), out, table)).toThrow(/embeddingBackward: ids\[0\] = -1/);
  });

  it('names the kernel and shapes on bad input', () => {
    const table = be.zeros([3, 2]);
    expect(() => be.embedding(be.zeros([2]), table, be.zeros([2, 2]))).toThrow(/embedding: ids has dtype f32, expected i32/);
    expect(() => be.embedding(be.zeros([2], 'i32'), table, be.zeros([2, 3]))).toThrow(/embedding: out has shape \[2,3\], expected \[2,2\]/);
    expect(() => be.embeddingBackward(be.zeros([2], 'i32'), be.zeros([3, 2]), table)).toThrow(/embeddingBackward: dout has shape \[3,2\]/);
  });
});
