/**
 * The WebGPU backend's device-work counters (Backend.stats) and read batching: reads asked for together share
 * one submission and one mapped staging buffer, and still return what each tensor held when it was read.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { statsDelta as delta } from '../../src/engine/backend';
import { gpuBackend } from '../harness/gpu';

describe('webgpu stats', () => {
  it('counts reads asked for together as one submit and one read-back, each with its own bytes', async () => {
    const be = await gpuBackend();
    const a = be.fromArray([1, 2, 3], [3]), b = be.fromArray([4, 5], [2], 'i32'), out = be.zeros([3]);
    be.flush();
    const before = be.stats!();
    be.add(a, a, out);
    const [x, y, z] = await Promise.all([be.read(a), be.read(b), be.read(out)]);
    expect(Array.from(x)).toEqual([1, 2, 3]);
    expect(Array.from(y)).toEqual([4, 5]);
    expect(y).toBeInstanceOf(Int32Array);
    expect(Array.from(z)).toEqual([2, 4, 6]);
    expect(delta(be.stats!(), before)).toMatchObject({ submits: 1, readbacks: 1, bytesRead: (3 + 2 + 3) * 4 });
  });

  it('reads what a tensor held when read was called, even if later work in the same task overwrites it', async () => {
    const be = await gpuBackend();
    const t = be.fromArray([1, 2], [2]);
    const early = be.read(t);
    be.scale(be.fromArray([5, 6], [2]), 10, t);
    const late = be.read(t);
    expect(Array.from(await early)).toEqual([1, 2]);
    expect(Array.from(await late)).toEqual([50, 60]);
  });

  it('counts separate reads separately and a read larger than the shared staging buffer', async () => {
    const be = await gpuBackend();
    const big = be.fromArray(new Float32Array(40_000).map((_, i) => i), [40_000]);
    const small = be.fromArray([7], [1]);
    be.flush();
    const before = be.stats!();
    const first = await be.read(small);
    const [again, whole] = await Promise.all([be.read(small), be.read(big)]);
    expect(first[0]).toBe(7);
    expect(again[0]).toBe(7);
    expect(whole[39_999]).toBe(39_999);
    // Two batches; in the second the 160 kB tensor does not fit the shared staging buffer and maps one of its own.
    expect(delta(be.stats!(), before)).toMatchObject({ submits: 2, readbacks: 3, bytesRead: 4 + 160_000 + 4 });
  });

  it('counts compiled pipelines once and pooled buffers by their rounded size', async () => {
    const be = await gpuBackend();
    const x = be.fromArray([1, 2], [2]);
    be.scale(x, 2, be.zeros([2]));
    await be.read(x);
    const before = be.stats!();
    be.scale(x, 2, be.zeros([2]));
    const t = be.zeros([100]);
    await be.read(x);
    const grown = delta(be.stats!(), before);
    expect(grown.pipelines).toBe(0);
    // 400 bytes round up to a 512-byte buffer; the [2] output came from the pool when one was free.
    expect(grown.poolBytes).toBeGreaterThanOrEqual(512);
    expect(grown.liveBuffers).toBeGreaterThanOrEqual(1);
    be.release(t);
    const reused = be.stats!();
    be.release(be.zeros([100]));
    await be.read(x);
    expect(delta(be.stats!(), reused)).toMatchObject({ poolBytes: 0, liveBuffers: 0 });
  });

  it('times dispatches per kernel family where the adapter has timestamp-query', async () => {
    const be = await gpuBackend();
    const rt = be.runtime;
    const profiler = rt.startProfiling();
    onTestFinished(() => rt.stopProfiling());
    if (!rt.device.features.has('timestamp-query')) {
      expect(profiler).toBeNull();
      return;
    }
    expect(profiler).not.toBeNull();
    const x = be.fromArray([1, 2, 3, 4], [2, 2]), y = be.zeros([2, 2]);
    for (let i = 0; i < 3; i++) be.matmul(x, x, y);
    be.flush();
    const before = await profiler!.results();
    const matmulsBefore = before.find((f) => f.family === 'Matmul')?.dispatches ?? 0;
    for (let i = 0; i < 3; i++) be.matmul(x, x, y);
    expect(Array.from(await be.read(y))).toEqual([7, 10, 15, 22]);
    const after = await profiler!.results();
    const matmul = after.find((f) => f.family === 'Matmul')!;
    expect(matmul.dispatches - matmulsBefore).toBe(3);
    expect(matmul.ms).toBeGreaterThanOrEqual(0);
  });
});
