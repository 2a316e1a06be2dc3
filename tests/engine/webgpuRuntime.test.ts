/** The WebGPU runtime's contracts: one submission per recorded step, cached pipelines, labelled buffers, typed errors. */
import { describe, expect, it } from 'vitest';
import { GpuError } from '../../src/engine/backend/webgpu/errors';
import { kernelFamily, gpuBuffer } from '../../src/engine/backend/webgpu/kernelDef';
import { createNodeWebGpuBackend } from '../../src/node/gpu';
import { gpuBackend } from '../harness/gpu';

describe('webgpu runtime', () => {
  it('records work into one encoder and submits only on flush', async () => {
    const be = await gpuBackend();
    const rt = be.runtime;
    const a = be.fromArray([1, 2, 3], [3]), out = be.zeros([3]);
    be.flush();
    const submits = rt.submitCount;
    for (let i = 0; i < 10; i++) be.add(a, a, out);
    expect(rt.submitCount).toBe(submits);
    be.flush();
    expect(rt.submitCount).toBe(submits + 1);
  });

  it('caches pipelines and labels buffers', async () => {
    const be = await gpuBackend();
    const x = be.fromArray([1, 2], [2], 'f32', 'myWeights');
    expect(gpuBuffer(x).label).toBe('myWeights');
    const out = be.zeros([2]);
    be.scale(x, 2, out);
    const count = be.runtime.pipelineCount;
    be.scale(x, 3, out);
    be.scale(out, 3, x);
    expect(be.runtime.pipelineCount).toBe(count);
    expect(Array.from(await be.read(x))).toEqual([9, 18]);
  });

  it('surfaces a shader validation error as a typed GpuError', async () => {
    const be = await createNodeWebGpuBackend();
    const errors: GpuError[] = [];
    be.runtime.onError((e) => errors.push(e));
    const broken = kernelFamily('Broken', '@compute @workgroup_size(1) fn main() { let x: u32 = 1.5; }')('main', [], []);
    be.runtime.dispatch(broken, [], {}, [1]);
    const t = be.zeros([1]);
    await expect(be.read(t)).rejects.toBeInstanceOf(GpuError);
    expect(errors[0]?.kind).toBe('validation');
    be.dispose();
  });

  it('reports device loss as a typed event and rejects later reads', async () => {
    const be = await createNodeWebGpuBackend();
    const lost = new Promise<GpuError>((resolve) => be.runtime.onError((e) => e.kind === 'device-lost' && resolve(e)));
    const t = be.fromArray([1], [1]);
    be.runtime.device.destroy();
    const e = await lost;
    expect(e).toBeInstanceOf(GpuError);
    await expect(be.read(t)).rejects.toThrow(/device-lost/);
  });
});
