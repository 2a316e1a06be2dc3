/**
 * The `wasm` backend: the fast CPU path. Tensors live in one WebAssembly.Memory (arena.ts); the hot kernels
 * (matmul, attention, RMSNorm, SiLU, elementwise, AdamW) run hand-written 128-bit SIMD compiled from wasm/*.ts,
 * and every other kernel is the oracle's, run on the same memory. Kernels run immediately; flush is a no-op.
 */
import type { Backend, DeviceInfo } from '../../backend';
import { assertValidShape, numel, type Shape } from '../../shape';
import { Tensor, type DType } from '../../tensor';
import { checkCopyInto } from '../../shapes/memory';
import { WasmArena } from './arena';
import { instantiateKernels } from './module';
import { wasmKernels, storageOf } from './kernels';

const WASM_DEVICE: DeviceInfo = {
  backend: 'wasm',
  vendor: 'cpu',
  architecture: 'wasm-simd128',
  description: 'CPU (WebAssembly SIMD, one thread)',
  isFallbackAdapter: false,
};

export async function createWasmBackend(): Promise<Backend> {
  const arena = new WasmArena();
  const exports = await instantiateKernels(arena.memory);
  const kernels = wasmKernels(exports, arena);
  let counter = 0;
  const alloc = (shape: Shape, dtype: DType, label?: string) => {
    assertValidShape('wasm.alloc', shape);
    return new Tensor(shape, dtype, arena.alloc(dtype, numel(shape)), label ?? `t${counter++}`);
  };
  const data = (t: Tensor) => storageOf(arena, t).data;
  const backend: Backend = {
    ...kernels,
    name: 'wasm',
    device: WASM_DEVICE,
    zeros: (shape, dtype = 'f32', label) => alloc(shape, dtype, label),
    fromArray(values, shape, dtype = 'f32', label) {
      const t = alloc(shape, dtype, label);
      this.write(t, values);
      return t;
    },
    write(t, values) {
      const d = data(t);
      if (values.length !== d.length) throw new Error(`write: ${t} holds ${d.length} elements, got ${values.length}`);
      d.set(values);
    },
    zero: (t) => void data(t).fill(0),
    copy(src, dst) {
      const s = data(src), d = data(dst);
      if (s.length !== d.length || src.dtype !== dst.dtype) throw new Error(`copy: ${src} does not fit ${dst}`);
      d.set(s);
    },
    copyInto(src, dst, offset) {
      checkCopyInto(src, dst, offset);
      data(dst).set(data(src), offset);
    },
    flush() {},
    read: async (t) => data(t).slice(),
    release: (t) => arena.release(storageOf(arena, t)),
    dispose() {},
  };
  return backend;
}
