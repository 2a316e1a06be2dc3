/**
 * WebGPU execution core: pipeline cache, pooled labelled buffers, a per-dispatch uniform arena and a
 * recorder that puts every dispatch, clear and copy of a step into ONE command encoder, submitted on flush.
 * Reads requested together (e.g. `Promise.all([read(a), read(b)])`) ride on that same submission and share one
 * mapped staging buffer, so a rollout or an optimizer step costs one submit and one read-back.
 *
 * Binding convention (shaders/README.md): @binding(0) is the kernel's uniform params struct; bindings 1..n are
 * storage buffers in the order the KernelDef lists them. Params are flat 4-byte scalars (u32/i32/f32) in the
 * order of the WGSL struct, so encoding needs no alignment logic.
 */
import type { BackendStats } from '../../backend';
import { GpuError } from './errors';
import { KernelProfiler } from './profiler';

export type ParamType = 'u32' | 'i32' | 'f32';
export type BindingAccess = 'read' | 'write';

export interface KernelDef {
  /** GPU label prefix, e.g. 'Matmul.forward'. */
  label: string;
  /** WGSL source of the family (shaders/<family>.wgsl, imported ?raw). */
  code: string;
  entryPoint: string;
  /** Fields of the params struct, in WGSL order. */
  params: ReadonlyArray<readonly [name: string, type: ParamType]>;
  /** Storage bindings 1..n: 'read' = var<storage, read>, 'write' = var<storage, read_write>. */
  bindings: readonly BindingAccess[];
}

/** Slot size for one dispatch's params: the WebGPU minimum uniform offset alignment is at most 256. */
const PARAM_SLOT = 256;
const ARENA_SLOTS = 256;
/** Capacity of a read batch's first staging buffer (later ones of the same batch grow, see read()). */
const READ_STAGING_BYTES = 64 * 1024;
/** Default workgroup size of 1-D kernels; shaders/common.wgsl uses the same value. */
export const WG = 256;

export function groups1d(n: number, wg = WG): [number, number] {
  const total = Math.max(1, Math.ceil(n / wg));
  if (total <= 65535) return [total, 1];
  const y = Math.ceil(total / 65535);
  return [Math.ceil(total / y), y];
}

/** Bytes of a staging buffer to map: what its reads filled (a zero-length map is not allowed). */
const mappedSize = (s: Staging) => Math.max(4, s.used);

interface Arena {
  buffer: GPUBuffer;
  host: ArrayBuffer;
  used: number;
}

/** A MAP_READ buffer that reads of one batch are copied into, back to back. */
interface Staging {
  buffer: GPUBuffer;
  used: number;
}

/** One pending read: where its bytes land and who waits for them. */
interface PendingRead {
  staging: Staging;
  offset: number;
  bytes: number;
  resolve: (data: ArrayBuffer) => void;
  reject: (e: unknown) => void;
}

export class GpuRuntime {
  private pipelines = new Map<KernelDef, { pipeline: GPUComputePipeline; layout: GPUBindGroupLayout }>();
  private freeBuffers = new Map<number, GPUBuffer[]>();
  private freeStaging = new Map<number, GPUBuffer[]>();
  private arenas: Arena[] = [];
  private arenaIndex = 0;
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private pendingError: GpuError | null = null;
  private lost: GpuError | null = null;
  private listeners = new Set<(e: GpuError) => void>();
  /** Staging buffers of uploads recorded in the open encoder; destroyed once it is submitted. */
  private uploads: GPUBuffer[] = [];
  /** Reads recorded in the open encoder, resolved together after its submission. */
  private reads: PendingRead[] = [];
  private readStaging: Staging[] = [];
  private profiler: KernelProfiler | null = null;
  /** Dispatches recorded so far (for benchmarks and tests). */
  dispatchCount = 0;
  /** Command buffers submitted to the queue. */
  submitCount = 0;
  private readbackCount = 0;
  private bytesRead = 0;
  private liveBytes = 0;
  private liveBuffers = 0;

  constructor(
    readonly device: GPUDevice,
    /** The GPU entry point, referenced so it lives as long as the device (see device.ts). */
    readonly gpu: GPU,
  ) {
    device.addEventListener('uncapturederror', (ev) => {
      const err = new GpuError('validation', (ev as GPUUncapturedErrorEvent).error.message);
      this.pendingError ??= err;
      this.emit(err);
    });
    void device.lost.then((info) => {
      const err = new GpuError('device-lost', `${info.reason}: ${info.message}`);
      this.lost = err;
      this.emit(err);
    });
  }

  /** Subscribe to validation errors and device loss (the app pauses the run on device loss). */
  onError(fn: (e: GpuError) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(e: GpuError): void {
    for (const fn of this.listeners) fn(e);
  }

  /** Device loss, else the first validation error since the last check (which it clears). */
  private takeFailure(): GpuError | null {
    if (this.lost) return this.lost;
    const e = this.pendingError;
    this.pendingError = null;
    return e;
  }

  private throwIfFailed(): void {
    const e = this.takeFailure();
    if (e) throw e;
  }

  private compiled(def: KernelDef) {
    let entry = this.pipelines.get(def);
    if (!entry) {
      const layout = this.device.createBindGroupLayout({
        label: `${def.label}.bindGroupLayout`,
        entries: [
          { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
          ...def.bindings.map((access, i) => ({
            binding: i + 1,
            visibility: GPUShaderStage.COMPUTE,
            buffer: { type: access === 'read' ? ('read-only-storage' as const) : ('storage' as const) },
          })),
        ],
      });
      const module = this.device.createShaderModule({ label: `${def.label}.module`, code: def.code });
      const pipeline = this.device.createComputePipeline({
        label: `${def.label}.pipeline`,
        layout: this.device.createPipelineLayout({ label: `${def.label}.pipelineLayout`, bindGroupLayouts: [layout] }),
        compute: { module, entryPoint: def.entryPoint },
      });
      entry = { pipeline, layout };
      this.pipelines.set(def, entry);
    }
    return entry;
  }

  /** Number of distinct pipelines compiled so far (pipelines are cached per KernelDef). */
  get pipelineCount(): number {
    return this.pipelines.size;
  }

  /** Cumulative device-work counters (see BackendStats). */
  stats(): BackendStats {
    return {
      submits: this.submitCount,
      readbacks: this.readbackCount,
      bytesRead: this.bytesRead,
      pipelines: this.pipelines.size,
      poolBytes: this.liveBytes,
      liveBuffers: this.liveBuffers,
    };
  }

  /**
   * Time every dispatch on the GPU from now on, summed per kernel family, where the device has `timestamp-query`.
   * Each dispatch then gets a compute pass of its own, so profiled runs are for where the time goes, not for
   * wall-clock figures. Returns null when the device cannot time passes.
   */
  startProfiling(): KernelProfiler | null {
    if (!this.device.features.has('timestamp-query')) return null;
    this.endPass();
    this.profiler ??= new KernelProfiler(this.device);
    return this.profiler;
  }

  /** Back to one compute pass per run of dispatches; the profiler keeps what it has measured. */
  stopProfiling(): void {
    this.endPass();
    this.profiler = null;
  }

  private createBuffer(desc: GPUBufferDescriptor): GPUBuffer {
    const buffer = this.device.createBuffer(desc);
    this.liveBytes += buffer.size;
    this.liveBuffers++;
    return buffer;
  }

  private destroyBuffer(buffer: GPUBuffer): void {
    this.liveBytes -= buffer.size;
    this.liveBuffers--;
    buffer.destroy();
  }

  private paramSlot(def: KernelDef, values: Readonly<Record<string, number>>): { buffer: GPUBuffer; offset: number } {
    if (def.params.length * 4 > PARAM_SLOT) throw new Error(`${def.label}: params exceed ${PARAM_SLOT} bytes`);
    let arena = this.arenas[this.arenaIndex];
    if (arena && arena.used + PARAM_SLOT > arena.host.byteLength) arena = this.arenas[++this.arenaIndex];
    if (!arena) {
      arena = {
        buffer: this.createBuffer({
          label: `Runtime.paramArena${this.arenas.length}`,
          size: PARAM_SLOT * ARENA_SLOTS,
          usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
        }),
        host: new ArrayBuffer(PARAM_SLOT * ARENA_SLOTS),
        used: 0,
      };
      this.arenas.push(arena);
    }
    const offset = arena.used;
    const view = new DataView(arena.host, offset, PARAM_SLOT);
    def.params.forEach(([name, type], i) => {
      const v = values[name];
      if (v === undefined || !Number.isFinite(v)) throw new Error(`${def.label}: param ${name} is ${v}`);
      if (type === 'f32') view.setFloat32(i * 4, v, true);
      else if (type === 'i32') view.setInt32(i * 4, v, true);
      else view.setUint32(i * 4, v, true);
    });
    arena.used += PARAM_SLOT;
    return { buffer: arena.buffer, offset };
  }

  private getEncoder(): GPUCommandEncoder {
    this.encoder ??= this.device.createCommandEncoder({ label: 'Runtime.stepEncoder' });
    return this.encoder;
  }

  private endPass(): void {
    this.pass?.end();
    this.pass = null;
  }

  /** Record one dispatch. `buffers` are bound at 1..n in KernelDef order. */
  dispatch(
    def: KernelDef,
    buffers: readonly GPUBuffer[],
    params: Readonly<Record<string, number>>,
    groups: readonly [number, number?, number?],
  ): void {
    if (buffers.length !== def.bindings.length) {
      throw new Error(`${def.label}: expected ${def.bindings.length} buffers, got ${buffers.length}`);
    }
    // WebGPU forbids binding one buffer both writable and read in a dispatch; name the kernel instead of a
    // generic validation error.
    def.bindings.forEach((access, i) => {
      if (access === 'write' && buffers.some((b, j) => j !== i && b === buffers[i])) {
        throw new Error(`${def.label}: output binding ${i + 1} aliases another binding`);
      }
    });
    const { pipeline, layout } = this.compiled(def);
    const slot = this.paramSlot(def, params);
    const bindGroup = this.device.createBindGroup({
      label: `${def.label}.bindGroup`,
      layout,
      entries: [
        { binding: 0, resource: { buffer: slot.buffer, offset: slot.offset, size: PARAM_SLOT } },
        ...buffers.map((buffer, i) => ({ binding: i + 1, resource: { buffer } })),
      ],
    });
    const timestampWrites = this.profiler?.passTimestamps(def.label);
    if (timestampWrites) this.endPass();
    if (!this.pass) this.pass = this.getEncoder().beginComputePass({ label: 'Runtime.computePass', timestampWrites });
    this.pass.setPipeline(pipeline);
    this.pass.setBindGroup(0, bindGroup);
    const [x, y = 1, z = 1] = groups;
    if (x > 0 && y > 0 && z > 0) this.pass.dispatchWorkgroups(x, y, z);
    if (timestampWrites) this.endPass();
    this.dispatchCount++;
  }

  clear(buffer: GPUBuffer, size: number): void {
    this.endPass();
    this.getEncoder().clearBuffer(buffer, 0, size);
  }

  copy(src: GPUBuffer, dst: GPUBuffer, size: number, srcOffset = 0, dstOffset = 0): void {
    this.endPass();
    this.getEncoder().copyBufferToBuffer(src, srcOffset, dst, dstOffset, size);
  }

  /**
   * Upload host data as a copy recorded in the current encoder (through a mapped staging buffer), so an
   * upload between kernels of a step lands in order and the step stays one submission.
   */
  writeBuffer(buffer: GPUBuffer, data: ArrayBufferView): void {
    const size = Math.ceil(data.byteLength / 4) * 4;
    if (size === 0) return;
    const staging = this.createBuffer({
      label: `${buffer.label}.upload`,
      size,
      usage: GPUBufferUsage.COPY_SRC,
      mappedAtCreation: true,
    });
    new Uint8Array(staging.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    staging.unmap();
    this.copy(staging, buffer, size);
    this.uploads.push(staging);
  }

  /** Submit everything recorded since the last flush as one command buffer. */
  flush(): void {
    this.throwIfFailed();
    if (!this.encoder) return;
    this.endPass();
    for (const arena of this.arenas) {
      if (arena.used > 0) this.device.queue.writeBuffer(arena.buffer, 0, arena.host, 0, arena.used);
      arena.used = 0;
    }
    this.arenaIndex = 0;
    this.profiler?.resolve(this.encoder);
    this.device.queue.submit([this.encoder.finish({ label: 'Runtime.stepCommands' })]);
    this.encoder = null;
    for (const b of this.uploads) this.destroyBuffer(b);
    this.uploads = [];
    this.submitCount++;
    this.profiler?.collect();
  }

  /**
   * Copy `bytes` of a buffer back to the host. The copy is recorded now, in order with the work before it; the
   * submission and the mapping wait for the end of the current task, so reads asked for together share both.
   * Staging buffers are pooled and reused: creating and destroying a MAP_READ buffer per read crashed Dawn on
   * lavapipe intermittently.
   */
  read(buffer: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    const size = Math.ceil(bytes / 4) * 4;
    if (size > buffer.size) throw new Error(`read: ${bytes} bytes asked of ${buffer.label} (${buffer.size} bytes)`);
    let staging = this.readStaging.at(-1);
    if (!staging || staging.used + size > staging.buffer.size) {
      // Each further staging buffer of a batch is at least twice the last: many reads map only a few buffers.
      const grown = staging ? 2 * staging.buffer.size : READ_STAGING_BYTES;
      staging = { buffer: this.takeStaging(Math.max(grown, size)), used: 0 };
      this.readStaging.push(staging);
    }
    const offset = staging.used;
    staging.used += size;
    if (size > 0) this.copy(buffer, staging.buffer, size, 0, offset);
    if (this.reads.length === 0) queueMicrotask(() => void this.finishReads());
    return new Promise((resolve, reject) => this.reads.push({ staging, offset, bytes, resolve, reject }));
  }

  private takeStaging(bytes: number): GPUBuffer {
    const size = 2 ** Math.ceil(Math.log2(bytes));
    return (
      this.freeStaging.get(size)?.pop() ??
      this.createBuffer({ label: 'Runtime.readback', size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST })
    );
  }

  /** Submit the encoder holding the batch's copies, map each staging buffer once and hand every read its bytes. */
  private async finishReads(): Promise<void> {
    const reads = this.reads, stagings = this.readStaging;
    this.reads = [];
    this.readStaging = [];
    try {
      this.flush();
      await Promise.all(stagings.map((s) => s.buffer.mapAsync(GPUMapMode.READ, 0, mappedSize(s))));
      this.readbackCount += stagings.length;
      // One mapped range per staging buffer: WebGPU refuses overlapping getMappedRange calls.
      const mapped = new Map(stagings.map((s) => [s, s.buffer.getMappedRange(0, mappedSize(s))]));
      const data = reads.map((r) => mapped.get(r.staging)!.slice(r.offset, r.offset + r.bytes));
      for (const s of stagings) s.buffer.unmap();
      this.throwIfFailed();
      reads.forEach((r, i) => {
        this.bytesRead += r.bytes;
        r.resolve(data[i]);
      });
    } catch (e) {
      // A lost device or a validation error explains a failed map better than the map's own message.
      const err = this.takeFailure() ?? (e instanceof GpuError ? e : new GpuError('readback', e instanceof Error ? e.message : String(e)));
      for (const r of reads) r.reject(err);
    }
    for (const s of stagings) {
      if (s.buffer.mapState === 'mapped') s.buffer.unmap();
      const list = this.freeStaging.get(s.buffer.size) ?? [];
      list.push(s.buffer);
      this.freeStaging.set(s.buffer.size, list);
    }
  }

  /** A storage buffer from the pool; sizes are rounded up to a power of two (min 16 bytes) for reuse. */
  allocBuffer(bytes: number, label: string): GPUBuffer {
    const size = Math.max(16, 2 ** Math.ceil(Math.log2(Math.max(bytes, 1))));
    const pooled = this.freeBuffers.get(size)?.pop();
    if (pooled) {
      pooled.label = label;
      return pooled;
    }
    return this.createBuffer({
      label,
      size,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
  }

  freeBuffer(buffer: GPUBuffer): void {
    const list = this.freeBuffers.get(buffer.size) ?? [];
    list.push(buffer);
    this.freeBuffers.set(buffer.size, list);
  }

  dispose(): void {
    this.encoder = null;
    this.pass = null;
    for (const pool of [this.freeBuffers, this.freeStaging]) for (const list of pool.values()) for (const b of list) this.destroyBuffer(b);
    this.freeStaging.clear();
    for (const a of this.arenas) this.destroyBuffer(a.buffer);
    this.freeBuffers.clear();
    this.arenas = [];
  }
}
