/**
 * The backend interface: tensor memory plus the kernels of kernels.ts. `cpu` runs each call immediately, and so
 * does `wasm` (the fast CPU path: tensors in one WebAssembly.Memory, hot kernels in SIMD);
 * `webgpu` records calls into one command encoder and submits on `flush()` (or when reading), so a whole
 * training step or rollout is one submission with no read-back inside it.
 */
import type { Kernels } from './kernels';
import type { Shape } from './shape';
import type { AnyTypedArray, DType, Tensor } from './tensor';

export type BackendName = 'cpu' | 'wasm' | 'webgpu';

/** What the app's device panel and the bench report about the device a backend runs on. */
export interface DeviceInfo {
  backend: BackendName;
  vendor: string;
  architecture: string;
  description: string;
  isFallbackAdapter: boolean;
}

/**
 * Cumulative counters of the device work a backend has done since it was created. The bench reports their
 * per-iteration deltas and the soak script watches them for leaks.
 */
export interface BackendStats {
  /** Command buffers submitted to the device queue. */
  submits: number;
  /** Device→host read-backs: staging buffers mapped (reads asked for together share one). */
  readbacks: number;
  /** Bytes copied device→host by those reads. */
  bytesRead: number;
  /** Compute pipelines created (cached pipelines count once). */
  pipelines: number;
  /** Bytes held by device buffers, pooled or in use. */
  poolBytes: number;
  /** Device buffers alive now, pooled or in use. */
  liveBuffers: number;
}

export interface Backend extends Kernels {
  readonly name: BackendName;
  readonly device: DeviceInfo;
  /** Device-work counters, where the backend keeps them (webgpu). */
  stats?(): BackendStats;
  /** A zero-filled tensor. */
  zeros(shape: Shape, dtype?: DType, label?: string): Tensor;
  /** A tensor holding a copy of `data` (length must equal the shape's element count). */
  fromArray(data: ArrayLike<number>, shape: Shape, dtype?: DType, label?: string): Tensor;
  /** Overwrite a tensor's contents from the host. */
  write(t: Tensor, data: ArrayLike<number>): void;
  /** Set every element to 0. */
  zero(t: Tensor): void;
  /** dst = src (same element count and dtype). */
  copy(src: Tensor, dst: Tensor): void;
  /** dst[offset .. offset + src.numel) = src (same dtype); collects per-step results without a read-back. */
  copyInto(src: Tensor, dst: Tensor, offset: number): void;
  /** Submit recorded work (no-op on cpu). */
  flush(): void;
  /** Flush, then copy a tensor's contents to the host. */
  read(t: Tensor): Promise<AnyTypedArray>;
  /** Return a tensor's memory to the pool; the tensor must not be used afterwards. */
  release(t: Tensor): void;
  /** Free everything this backend owns. */
  dispose(): void;
}

/** The device work done between two stats() snapshots (pool bytes and live buffers: their growth). */
export function statsDelta(after: BackendStats, before: BackendStats): BackendStats {
  return {
    submits: after.submits - before.submits,
    readbacks: after.readbacks - before.readbacks,
    bytesRead: after.bytesRead - before.bytesRead,
    pipelines: after.pipelines - before.pipelines,
    poolBytes: after.poolBytes - before.poolBytes,
    liveBuffers: after.liveBuffers - before.liveBuffers,
  };
}
