/**
 * The soak loop behind `npm run soak` and its short CI test: train a run for many GRPO iterations and sample, every
 * few iterations, what must stay flat in a long session: live tensors (and their bytes), the WebGPU buffer pool and
 * pipeline cache where the backend reports them (stats()), the JS heap, and the size of the record the durable-run
 * code writes to IndexedDB (serialized here with V8's structured clone, as IndexedDB stores it). That record is the
 * checkpoint (flat) plus the curves and rollouts on screen (which grow with the run, as they must).
 */
import { serialize } from 'node:v8';
import { meterAllocations } from '../src/engine/allocationMeter';
import type { Backend, BackendStats } from '../src/engine/backend';
import type { WebGpuBackend } from '../src/engine/backend/webgpu';
import { Experiment } from '../src/rl/experiment';
import type { RunConfig } from '../src/rl/runConfig';

export interface SoakSample {
  iteration: number;
  seconds: number;
  liveTensors: number;
  liveTensorBytes: number;
  /** WebGPU: from the backend's stats(), or counted at the GPUDevice where it has none; null on the CPU. */
  poolBytes: number | null;
  liveBuffers: number | null;
  pipelines: number | null;
  heapUsedBytes: number;
  /** The checkpoint part of the durable record: weights, AdamW moments, RNG position, counters, reference. */
  checkpointBytes: number;
  /** The curves and latest rollouts kept with it. */
  curvesBytes: number;
}

export interface SoakOptions {
  run: RunConfig;
  backend: Backend;
  iterations: number;
  /** Sample every this many iterations. */
  every: number;
  /** Keep every iteration's metrics, as the page does (default); off shows the heap without them. */
  keepCurves?: boolean;
  onSample?: (s: SoakSample) => void;
}

/** One series after warm-up: its range and how far it moved. */
export interface SeriesSummary {
  first: number;
  last: number;
  min: number;
  max: number;
  /** (max − min) / min after warm-up: 0 is perfectly flat. */
  spread: number;
}

export type SoakSummary = Partial<Record<keyof SoakSample, SeriesSummary>>;

const gc = (globalThis as { gc?: () => void }).gc;

type DeviceCounts = Pick<BackendStats, 'poolBytes' | 'liveBuffers' | 'pipelines'>;

/**
 * For a WebGPU backend without stats(): count at the GPUDevice itself — buffers created and not yet destroyed
 * (their bytes), and compute pipelines created. Installed before the first step, so every kernel's are seen.
 */
function watchDevice(be: Backend): (() => DeviceCounts) | null {
  if (be.stats) return () => be.stats!();
  const device = (be as Partial<WebGpuBackend>).runtime?.device;
  if (!device) return null;
  const live = new Map<GPUBuffer, number>();
  let pipelines = 0;
  const createBuffer = device.createBuffer.bind(device);
  device.createBuffer = (desc) => {
    const buffer = createBuffer(desc);
    live.set(buffer, buffer.size);
    const destroy = buffer.destroy.bind(buffer);
    buffer.destroy = () => {
      live.delete(buffer);
      destroy();
    };
    return buffer;
  };
  const createPipeline = device.createComputePipeline.bind(device);
  device.createComputePipeline = (desc) => {
    pipelines++;
    return createPipeline(desc);
  };
  return () => ({ poolBytes: [...live.values()].reduce((a, b) => a + b, 0), liveBuffers: live.size, pipelines });
}

export async function soak(opts: SoakOptions): Promise<SoakSample[]> {
  const device = watchDevice(opts.backend);
  const meter = meterAllocations(opts.backend);
  const exp = new Experiment(meter.backend, opts.run);
  const t0 = performance.now();
  await exp.warmStart();
  const metrics: Record<string, Array<{ step: number; value: number }>> = {};
  const samples: SoakSample[] = [];
  for (let i = 1; i <= opts.iterations; i++) {
    const r = await exp.trainStep();
    if (opts.keepCurves !== false) for (const [name, value] of Object.entries(r.metrics)) (metrics[name] ??= []).push({ step: i, value });
    if (i % opts.every !== 0 && i !== opts.iterations) continue;
    const state = await exp.saveState();
    gc?.();
    const stats = device?.();
    const sample: SoakSample = {
      iteration: i,
      seconds: (performance.now() - t0) / 1000,
      liveTensors: meter.liveTensors(),
      liveTensorBytes: meter.live(),
      poolBytes: stats?.poolBytes ?? null,
      liveBuffers: stats?.liveBuffers ?? null,
      pipelines: stats?.pipelines ?? null,
      heapUsedBytes: process.memoryUsage().heapUsed,
      checkpointBytes: serialize({ config: opts.run, checkpoint: { iteration: i, sftDone: true, state } }).length,
      curvesBytes: serialize({ metrics, rollouts: r.rollouts }).length,
    };
    samples.push(sample);
    opts.onSample?.(sample);
  }
  return samples;
}

/** Each numeric series after the first `warmup` fraction of the samples. */
export function summarize(samples: SoakSample[], warmup = 0.1): SoakSummary {
  const after = samples.slice(Math.min(samples.length - 1, Math.floor(samples.length * warmup)));
  const out: SoakSummary = {};
  for (const key of Object.keys(samples[0] ?? {}) as Array<keyof SoakSample>) {
    if (key === 'iteration' || key === 'seconds') continue;
    const values = after.map((s) => s[key]).filter((v): v is number => v !== null);
    if (!values.length) continue;
    const min = Math.min(...values), max = Math.max(...values);
    out[key] = { first: values[0], last: values[values.length - 1], min, max, spread: min > 0 ? (max - min) / min : max === 0 ? 0 : Infinity };
  }
  return out;
}
