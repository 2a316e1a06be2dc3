/**
 * The wasm backend's tensor memory: one WebAssembly.Memory that the kernels address by byte offset. Tensors
 * keep 'cpu' storage whose typed array is a view into that memory, so the oracle's kernels run on them
 * unchanged and the SIMD kernels get `data.byteOffset` as a pointer.
 *
 * Growing the memory detaches every view of the old buffer. The arena remembers each live storage (weakly)
 * and, after a grow, re-derives its view at the same offset, so tensors (and their reshaped views, which share
 * the storage object) stay valid. Nothing grows while a kernel runs: kernels never allocate.
 *
 * Blocks are 16-byte aligned (vector loads) and recycled by exact size: a training step allocates the same
 * shapes every time, so the pool reaches a steady state after the first step. A tensor dropped without
 * `release` is returned to the pool when it is garbage-collected.
 */
import type { AnyTypedArray, DType, Storage } from '../../tensor';

type CpuStorage = Extract<Storage, { kind: 'cpu' }>;

const PAGE = 65536;
/** Bytes below this offset belong to the compiled module (its stack and static data, none used today). */
export const ARENA_BASE = PAGE;
const ALIGN = 16;
/** The WebAssembly 32-bit address space: 65536 pages of 64 KiB. */
const MAX_PAGES = 65536;

const VIEW = { f32: Float32Array, i32: Int32Array, u32: Uint32Array } as const;

export class WasmArena {
  readonly memory: WebAssembly.Memory;
  private top = ARENA_BASE;
  private readonly free = new Map<number, number[]>();
  /** Offset → the storage there, with what its view needs (a detached view reports length 0). */
  private readonly live = new Map<number, { ref: WeakRef<CpuStorage>; dtype: DType; n: number }>();
  private readonly collected = new FinalizationRegistry<{ offset: number; bytes: number }>((b) => this.reclaim(b.offset, b.bytes));
  /** Bytes handed out and not yet released. */
  liveBytes = 0;

  constructor(initialBytes = 64 * 1024 * 1024) {
    this.memory = new WebAssembly.Memory({ initial: Math.ceil(initialBytes / PAGE) });
  }

  /** A zero-filled block for `n` elements of `dtype`, as tensor storage. */
  alloc(dtype: DType, n: number): CpuStorage {
    const bytes = blockBytes(n);
    const offset = this.take(bytes);
    const storage: CpuStorage = { kind: 'cpu', data: this.view(dtype, offset, n) };
    storage.data.fill(0);
    this.live.set(offset, { ref: new WeakRef(storage), dtype, n });
    this.collected.register(storage, { offset, bytes }, storage);
    this.liveBytes += bytes;
    return storage;
  }

  /** Return a storage's block to the pool; the storage must not be used afterwards. */
  release(storage: CpuStorage): void {
    const offset = storage.data.byteOffset;
    const block = this.live.get(offset);
    if (!block || block.ref.deref() !== storage) return; // already released (or not ours)
    this.collected.unregister(storage);
    this.reclaim(offset, blockBytes(block.n));
  }

  /** Whether a typed array is a view of this arena's current memory. */
  owns(data: AnyTypedArray): boolean {
    return data.buffer === this.memory.buffer;
  }

  /** A block of exactly `bytes`: recycled when one is free, else from the top (growing the memory). */
  private take(bytes: number): number {
    const pooled = this.free.get(bytes)?.pop();
    if (pooled !== undefined) return pooled;
    const offset = this.top;
    const end = offset + bytes;
    if (end > this.memory.buffer.byteLength) this.grow(end);
    this.top = end;
    return offset;
  }

  private reclaim(offset: number, bytes: number): void {
    if (!this.live.delete(offset)) return;
    this.liveBytes -= bytes;
    const list = this.free.get(bytes);
    if (list) list.push(offset);
    else this.free.set(bytes, [offset]);
  }

  /** Grow to hold `end` bytes (at least doubling), then re-derive every live view. */
  private grow(end: number): void {
    const have = this.memory.buffer.byteLength / PAGE;
    const need = Math.ceil(end / PAGE);
    const pages = Math.min(MAX_PAGES, Math.max(need, 2 * have));
    if (need > MAX_PAGES) {
      throw new RangeError(
        `wasm backend: out of memory: ${(end / 2 ** 20).toFixed(0)} MiB needed, the 32-bit limit is 4096 MiB ` +
          `(${(this.liveBytes / 2 ** 20).toFixed(0)} MiB in live tensors); use a smaller model or batch`,
      );
    }
    try {
      this.memory.grow(pages - have);
    } catch (e) {
      throw new RangeError(`wasm backend: could not grow memory to ${(pages * PAGE) / 2 ** 20} MiB: ${(e as Error).message}`);
    }
    for (const [offset, { ref, dtype, n }] of this.live) {
      const s = ref.deref();
      if (s) s.data = this.view(dtype, offset, n);
    }
  }

  private view(dtype: DType, offset: number, n: number): AnyTypedArray {
    return new VIEW[dtype](this.memory.buffer, offset, n);
  }
}

function blockBytes(n: number): number {
  return Math.max(ALIGN, Math.ceil((4 * n) / ALIGN) * ALIGN);
}
