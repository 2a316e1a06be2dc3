/**
 * Counts the tensors a backend really allocates: every zeros/fromArray adds its bytes, every release takes them
 * back. Works on any backend (the proxy only watches the allocation calls), so cpu and webgpu are measured alike;
 * the footprint tests compare estimates with it and the soak script watches it for leaks.
 */
import type { Backend } from './backend';
import type { Tensor } from './tensor';

export interface AllocationMeter {
  backend: Backend;
  /** Bytes of tensors allocated and not released. */
  live(): number;
  /** Tensors allocated and not released. */
  liveTensors(): number;
  /** Live bytes added since the last `mark()`. */
  sinceMark(): number;
  /** Highest `live()` since the last `mark()`, minus live bytes at the mark. */
  peakSinceMark(): number;
  /** Largest single tensor allocated since the last mark. */
  largestSinceMark(): number;
  /** Multiply-add FLOPs (2 per multiply-add) of the matmul kernels run since the last mark. */
  matmulFlopsSinceMark(): number;
  mark(): void;
}

export function meterAllocations(inner: Backend): AllocationMeter {
  const sizes = new Map<Tensor, number>();
  let live = 0, peak = 0, base = 0, largest = 0, flops = 0;
  const track = (t: Tensor) => {
    const bytes = t.numel * 4;
    sizes.set(t, bytes);
    live += bytes;
    peak = Math.max(peak, live);
    largest = Math.max(largest, bytes);
    return t;
  };
  const backend = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'zeros') return (...a: Parameters<Backend['zeros']>) => track(target.zeros(...a));
      if (prop === 'fromArray') return (...a: Parameters<Backend['fromArray']>) => track(target.fromArray(...a));
      if (prop === 'matmul') {
        return (...a: Parameters<Backend['matmul']>) => {
          const [x, , out, opts] = a;
          const r = x.shape.length;
          flops += 2 * out.numel * (opts?.transA ? x.shape[r - 2] : x.shape[r - 1]);
          target.matmul(...a);
        };
      }
      if (prop === 'release') {
        return (t: Tensor) => {
          live -= sizes.get(t) ?? 0;
          sizes.delete(t);
          target.release(t);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return {
    backend,
    live: () => live,
    liveTensors: () => sizes.size,
    sinceMark: () => live - base,
    peakSinceMark: () => peak - base,
    largestSinceMark: () => largest,
    matmulFlopsSinceMark: () => flops,
    mark() {
      base = live;
      peak = live;
      largest = 0;
      flops = 0;
    },
  };
}
