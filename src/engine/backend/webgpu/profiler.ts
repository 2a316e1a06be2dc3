/**
 * GPU time per kernel family from `timestamp-query`: while profiling, every dispatch runs in a compute pass of
 * its own whose start and end the GPU stamps; each submission resolves its stamps into a buffer that is read
 * once that submission is done. The family is the KernelDef label before its first dot ('Matmul.forward' →
 * 'Matmul'). Profiling buffers are instrumentation and stay out of the runtime's stats.
 */

/** WebGPU's largest query set; a submission with more profiled dispatches takes further sets. */
const QUERIES_PER_SET = 4096;
/** A resolved timestamp is one u64. */
const STAMP_BYTES = 8;

export interface FamilyTime {
  family: string;
  /** GPU time of the family's dispatches, summed. */
  ms: number;
  dispatches: number;
}

export class KernelProfiler {
  private sets: GPUQuerySet[] = [];
  /** Kernel labels of the profiled dispatches recorded since the last submission, in query-pair order. */
  private labels: string[] = [];
  private resolved: { resolveBuffer: GPUBuffer; read: GPUBuffer; labels: string[] } | null = null;
  private pending: Promise<void>[] = [];
  private totals = new Map<string, { ns: number; dispatches: number }>();

  constructor(private readonly device: GPUDevice) {}

  /** The timestamp writes of the compute pass that will hold one dispatch of kernel `label`. */
  passTimestamps(label: string): GPUComputePassTimestampWrites {
    const first = 2 * this.labels.length;
    this.labels.push(label);
    const setIndex = Math.floor(first / QUERIES_PER_SET);
    this.sets[setIndex] ??= this.device.createQuerySet({ label: `Profiler.querySet${setIndex}`, type: 'timestamp', count: QUERIES_PER_SET });
    const at = first % QUERIES_PER_SET;
    return { querySet: this.sets[setIndex], beginningOfPassWriteIndex: at, endOfPassWriteIndex: at + 1 };
  }

  /** Record, at the end of a submission's encoder, the copy of its stamps into a mappable buffer. */
  resolve(encoder: GPUCommandEncoder): void {
    const queries = 2 * this.labels.length;
    if (queries === 0) return;
    const bytes = queries * STAMP_BYTES;
    const usage = GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC;
    const resolveBuffer = this.device.createBuffer({ label: 'Profiler.resolve', size: bytes, usage });
    const read = this.device.createBuffer({ label: 'Profiler.read', size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    for (let start = 0; start < queries; start += QUERIES_PER_SET) {
      const count = Math.min(QUERIES_PER_SET, queries - start);
      encoder.resolveQuerySet(this.sets[start / QUERIES_PER_SET], 0, count, resolveBuffer, start * STAMP_BYTES);
    }
    encoder.copyBufferToBuffer(resolveBuffer, 0, read, 0, bytes);
    this.resolved = { resolveBuffer, read, labels: this.labels };
    this.labels = [];
  }

  /** After the submission: add its dispatches' durations to the totals once the GPU has finished it. */
  collect(): void {
    const batch = this.resolved;
    if (!batch) return;
    this.resolved = null;
    // Destroying a buffer lets submitted work that uses it finish first.
    batch.resolveBuffer.destroy();
    this.pending.push(
      batch.read.mapAsync(GPUMapMode.READ).then(() => {
        const stamps = new BigUint64Array(batch.read.getMappedRange());
        batch.labels.forEach((label, i) => {
          const family = label.split('.')[0];
          const entry = this.totals.get(family) ?? { ns: 0, dispatches: 0 };
          // Stamps may be quantised or reordered by the driver: a negative span counts as zero.
          entry.ns += Math.max(0, Number(stamps[2 * i + 1] - stamps[2 * i]));
          entry.dispatches++;
          this.totals.set(family, entry);
        });
        batch.read.unmap();
        batch.read.destroy();
      }),
    );
  }

  /** GPU time per family over everything profiled so far, largest first. */
  async results(): Promise<FamilyTime[]> {
    await Promise.all(this.pending.splice(0));
    return [...this.totals.entries()]
      .map(([family, t]) => ({ family, ms: t.ns / 1e6, dispatches: t.dispatches }))
      .sort((a, b) => b.ms - a.ms);
  }
}
