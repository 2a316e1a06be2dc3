/**
 * The `webgpu` backend: tensors are pooled storage buffers and kernels record dispatches of the WGSL in
 * shaders/ into one command encoder; `flush` submits it, `read` flushes and maps a copy.
 */
import type { Backend } from '../../backend';
import { assertValidShape, numel, type Shape } from '../../shape';
import { Tensor, type DType, type AnyTypedArray } from '../../tensor';
import { checkCopyInto } from '../../shapes/memory';
import { acquireDevice } from './device';
import { gpuBuffer } from './kernelDef';
import { gpuKernels } from './kernels';
import { GpuRuntime } from './runtime';

export interface WebGpuBackend extends Backend {
  readonly runtime: GpuRuntime;
}

function hostArray(dtype: DType, data: ArrayLike<number>): AnyTypedArray {
  if (dtype === 'f32') return Float32Array.from(data);
  if (dtype === 'i32') return Int32Array.from(data);
  return Uint32Array.from(data);
}

/** Create the backend on the given GPU entry point (navigator.gpu, or `create([])` of the npm `webgpu` package). */
export async function createWebGpuBackend(gpu: GPU | undefined | null): Promise<WebGpuBackend> {
  const acquired = await acquireDevice(gpu);
  const { device, info } = acquired;
  const rt = new GpuRuntime(device, acquired.gpu);
  let counter = 0;
  const alloc = (shape: Shape, dtype: DType, label?: string) => {
    assertValidShape('webgpu.alloc', shape);
    const name = label ?? `t${counter++}`;
    const n = numel(shape);
    return new Tensor(shape, dtype, { kind: 'webgpu', buffer: rt.allocBuffer(n * 4, name), bytes: n * 4 }, name);
  };
  const backend: WebGpuBackend = {
    ...gpuKernels(rt),
    name: 'webgpu',
    device: info,
    runtime: rt,
    stats: () => rt.stats(),
    zeros(shape, dtype = 'f32', label) {
      const t = alloc(shape, dtype, label);
      this.zero(t);
      return t;
    },
    fromArray(data, shape, dtype = 'f32', label) {
      const t = alloc(shape, dtype, label);
      this.write(t, data);
      return t;
    },
    write(t, data) {
      if (data.length !== t.numel) throw new Error(`write: ${t} holds ${t.numel} elements, got ${data.length}`);
      rt.writeBuffer(gpuBuffer(t), hostArray(t.dtype, data));
    },
    zero: (t) => rt.clear(gpuBuffer(t), gpuBuffer(t).size),
    copy(src, dst) {
      if (src.numel !== dst.numel || src.dtype !== dst.dtype) throw new Error(`copy: ${src} does not fit ${dst}`);
      if (src.numel > 0) rt.copy(gpuBuffer(src), gpuBuffer(dst), src.numel * 4);
    },
    copyInto(src, dst, offset) {
      checkCopyInto(src, dst, offset);
      if (src.numel > 0) rt.copy(gpuBuffer(src), gpuBuffer(dst), src.numel * 4, 0, offset * 4);
    },
    flush: () => rt.flush(),
    async read(t) {
      const bytes = await rt.read(gpuBuffer(t), t.numel * 4);
      if (t.dtype === 'f32') return new Float32Array(bytes);
      return t.dtype === 'i32' ? new Int32Array(bytes) : new Uint32Array(bytes);
    },
    release: (t) => rt.freeBuffer(gpuBuffer(t)),
    dispose() {
      rt.flush();
      rt.dispose();
      device.destroy();
    },
  };
  return backend;
}
