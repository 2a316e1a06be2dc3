/**
 * The `cpu` backend: hand-written TypeScript loops. It is the oracle every WGSL kernel is tested against and
 * the fallback when a browser has no WebGPU. Kernels run immediately; flush is a no-op.
 */
import type { Backend, DeviceInfo } from '../../backend';
import { assertValidShape, numel, type Shape } from '../../shape';
import { Tensor, typedArrayFor, type DType } from '../../tensor';
import { checkCopyInto } from '../../shapes/memory';
import { cpuKernels } from './kernels';

const CPU_DEVICE: DeviceInfo = {
  backend: 'cpu',
  vendor: 'cpu',
  architecture: 'typescript',
  description: 'CPU (plain TypeScript loops)',
  isFallbackAdapter: false,
};

function cpuData(t: Tensor) {
  if (t.storage.kind !== 'cpu') throw new Error(`cpu backend: ${t} lives on ${t.storage.kind}`);
  return t.storage.data;
}

export function createCpuBackend(): Backend {
  let counter = 0;
  const alloc = (shape: Shape, dtype: DType, label?: string) => {
    assertValidShape('cpu.alloc', shape);
    return new Tensor(shape, dtype, { kind: 'cpu', data: typedArrayFor(dtype, numel(shape)) }, label ?? `t${counter++}`);
  };
  return {
    ...cpuKernels,
    name: 'cpu',
    device: CPU_DEVICE,
    zeros: (shape, dtype = 'f32', label) => alloc(shape, dtype, label),
    fromArray(data, shape, dtype = 'f32', label) {
      const t = alloc(shape, dtype, label);
      this.write(t, data);
      return t;
    },
    write(t, data) {
      const d = cpuData(t);
      if (data.length !== d.length) throw new Error(`write: ${t} holds ${d.length} elements, got ${data.length}`);
      d.set(data);
    },
    zero: (t) => void cpuData(t).fill(0),
    copy(src, dst) {
      const s = cpuData(src), d = cpuData(dst);
      if (s.length !== d.length || src.dtype !== dst.dtype) throw new Error(`copy: ${src} does not fit ${dst}`);
      d.set(s);
    },
    copyInto(src, dst, offset) {
      checkCopyInto(src, dst, offset);
      cpuData(dst).set(cpuData(src), offset);
    },
    flush() {},
    read: async (t) => cpuData(t).slice(),
    release() {},
    dispose() {},
  };
}
