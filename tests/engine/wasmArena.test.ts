/**
 * The wasm backend's memory: tensors survive memory.grow (their views are re-derived), released blocks are
 * reused zero-filled, and a tensor from another backend is refused with a message naming it.
 */
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { createWasmBackend } from '../../src/engine/backend/wasm';
import { viewAs } from '../../src/engine/tensor';

describe('wasm backend memory', () => {
  it('keeps tensors and their views valid across memory growth', async () => {
    const be = await createWasmBackend();
    const a = be.fromArray([1, 2, 3, 4, 5, 6], [2, 3]);
    const view = viewAs(a, [3, 2]);
    const buffer = a.storage.kind === 'cpu' ? a.storage.data.buffer : null;
    // Larger than the initial memory: forces a grow, which detaches every earlier view of the buffer.
    const big = be.zeros([32, 1024, 1024]);
    expect(a.storage.kind === 'cpu' && a.storage.data.buffer).not.toBe(buffer);
    expect(Array.from(await be.read(view))).toEqual([1, 2, 3, 4, 5, 6]);
    const out = be.zeros([3, 3]);
    be.matmul(view, a, out);
    expect(Array.from(await be.read(out))).toEqual([9, 12, 15, 19, 26, 33, 29, 40, 51]);
    be.release(big);
  });

  it('reuses released blocks, zero-filled', async () => {
    const be = await createWasmBackend();
    const a = be.fromArray([7, 7, 7, 7], [4]);
    const offset = a.storage.kind === 'cpu' ? a.storage.data.byteOffset : -1;
    be.release(a);
    be.release(a); // a second release of the same tensor is ignored, not a double free
    const b = be.zeros([4]), c = be.zeros([4]);
    expect(b.storage.kind === 'cpu' && b.storage.data.byteOffset).toBe(offset);
    expect(c.storage.kind === 'cpu' && c.storage.data.byteOffset).not.toBe(offset);
    expect(Array.from(await be.read(b))).toEqual([0, 0, 0, 0]);
  });

  it('refuses tensors of another backend', async () => {
    const be = await createWasmBackend();
    const foreign = createCpuBackend().zeros([2, 2]);
    expect(() => be.matmul(foreign, be.zeros([2, 2]), be.zeros([2, 2]))).toThrow(/does not live in this backend's memory/);
  });
});
