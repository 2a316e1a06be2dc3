/**
 * The resource guard: before any work starts, estimate what a run needs (memory by kind, the largest single
 * buffer, FLOPs per SFT step and per GRPO iteration) from its config alone, refuse what cannot fit in the
 * device's limits, and flag what fits but would be slow at the speed this backend has shown. The app's worker
 * and `cli train` both call `guardRun`, so both say the same words.
 */
import type { Backend } from '../engine/backend';
import type { WebGpuBackend } from '../engine/backend/webgpu';
import { Rng } from '../engine/rng';
import { LENGTH_STREAM } from '../engine/streams';
import { BYTES_PER_ELEMENT, kvCacheBytes, parameterCount, rolloutBytes, rolloutFlops, forwardFlops, trainStepBytes, trainStepFlops } from '../model/footprint';
import type { ModelConfig } from '../model/config';
import { runModelConfig, type RunConfig } from './runConfig';
import { getTask } from './tasks/registry';

/** Prompts drawn to find the longest prompt and demonstration a run will see (tasks' lengths vary little). */
const LENGTH_SAMPLES = 256;
/** Workgroup memory of the hungriest WGSL kernel: the matmul's two 1040-float tiles (shaders/matmul.wgsl). */
export const WORKGROUP_BYTES_NEEDED = 2 * 1040 * 4;
/** Past this, a GRPO iteration (or the whole warm-start) is slow enough to ask first. */
const SLOW_ITERATION_S = 60;
const SLOW_WARM_START_S = 600;

export interface RunEstimate {
  parameters: number;
  parameterBytes: number;
  /** One gradient buffer per parameter. */
  gradientBytes: number;
  /** AdamW moments of the GRPO trainer. */
  optimizerBytes: number;
  /** AdamW moments of the warm-start's trainer (0 without a warm-start). */
  sftOptimizerBytes: number;
  /** The frozen reference policy (KL or RESTRAIN prompt weights), with its unused gradient buffers. */
  referenceBytes: number;
  /** Peak of one SFT step's graph (activations and their gradients). */
  sftStepBytes: number;
  /** Peak of one GRPO minibatch update's graph. */
  grpoStepBytes: number;
  /** Peak of the largest rollout (training or evaluation batch), its KV cache included. */
  rolloutBytes: number;
  kvCacheBytes: number;
  /** The largest of the step peaks: what the activations of the largest step take. */
  activationBytes: number;
  /** Everything held at the worst moment. */
  peakBytes: number;
  /** The largest single tensor, and what it is. */
  largestBufferBytes: number;
  largestBuffer: string;
  sftStepFlops: number;
  /** One training iteration of the run's algorithm (GRPO or DPO), evaluation amortised in. */
  grpoIterationFlops: number;
  sftSteps: number;
  iterations: number;
}

/** What the device can hold. */
export interface DeviceLimits {
  backend: string;
  /** Largest buffer the device creates (WebGPU maxBufferSize). */
  maxBufferSize: number;
  /** Largest buffer one kernel binding may see (WebGPU maxStorageBufferBindingSize). */
  maxStorageBufferBindingSize: number;
  maxComputeWorkgroupStorageSize: number;
  /** Memory the run may use in all. */
  memoryBytes: number;
  /** The WebGPU buffer pool rounds every buffer up to a power of two. */
  roundsToPowerOfTwo: boolean;
}

/** The CPU backend: typed arrays (V8 caps one at 2^32 elements; we stay under 2 GiB) within the memory given. */
export function cpuLimits(memoryBytes: number): DeviceLimits {
  const twoGiB = 2 ** 31;
  return { backend: 'cpu', maxBufferSize: twoGiB, maxStorageBufferBindingSize: twoGiB, maxComputeWorkgroupStorageSize: Infinity, memoryBytes, roundsToPowerOfTwo: false };
}

export function webgpuLimits(limits: Pick<GPUSupportedLimits, 'maxBufferSize' | 'maxStorageBufferBindingSize' | 'maxComputeWorkgroupStorageSize'>, memoryBytes: number): DeviceLimits {
  return {
    backend: 'webgpu',
    maxBufferSize: limits.maxBufferSize,
    maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
    maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
    memoryBytes,
    roundsToPowerOfTwo: true,
  };
}

/** The limits of the device behind a backend; `memoryBytes` is what the caller lets a run use. */
export function limitsOf(be: Backend, memoryBytes: number): DeviceLimits {
  const gpu = (be as Partial<WebGpuBackend>).runtime?.device.limits;
  return gpu ? webgpuLimits(gpu, memoryBytes) : cpuLimits(memoryBytes);
}

/** Longest prompt and demonstration (in characters = tokens) among the task's instances at this difficulty. */
function taskLengths(run: RunConfig): { prompt: number; demonstration: number } {
  const task = getTask(run.task);
  const rng = new Rng(run.seed, LENGTH_STREAM);
  let prompt = 1, demonstration = 1;
  for (let i = 0; i < LENGTH_SAMPLES; i++) {
    const inst = task.generate(rng, run.difficulty);
    prompt = Math.max(prompt, [...inst.prompt].length);
    demonstration = Math.max(demonstration, [...inst.demonstration].length);
  }
  return { prompt, demonstration };
}

function largestTensor(c: ModelConfig, shapes: Array<{ B: number; T: number; S: number }>): { bytes: number; what: string } {
  const candidates: Array<[number, string]> = [
    [c.vocabSize * c.nEmbd, 'the embedding table'],
    [c.ffnHidden * c.nEmbd, 'an FFN weight'],
  ];
  for (const { B, T, S } of shapes) {
    candidates.push([B * T * c.vocabSize, `the logits of ${B}×${T} tokens`], [B * c.nHead * T * S, `the attention scores of ${B}×${T} tokens`], [B * T * c.ffnHidden, `the FFN activations of ${B}×${T} tokens`]);
  }
  const [n, what] = candidates.reduce((a, b) => (b[0] > a[0] ? b : a));
  return { bytes: n * BYTES_PER_ELEMENT, what };
}

export function estimateRun(run: RunConfig): RunEstimate {
  const c = runModelConfig(run);
  const g = run.grpo;
  const lengths = taskLengths(run);
  const P = parameterCount(c);
  const paramBytes = P * BYTES_PER_ELEMENT;
  // Training sequences: BOS + prompt + completion, fed without the last token.
  const sftT = lengths.prompt + lengths.demonstration + 1;
  const promptTokens = 1 + lengths.prompt;
  const grpoT = lengths.prompt + g.max_completion_length;
  const sequences = g.prompts_per_step * g.num_generations;
  // DPO trains once per iteration on at most one pair (two sequences) per prompt.
  const dpo = run.algorithm === 'dpo';
  const perMinibatch = dpo ? 2 * g.prompts_per_step : sequences / g.minibatches;
  const evalSequences = run.eval.n * g.num_generations;
  const rolloutBatch = Math.max(sequences, evalSequences);
  const hasReference = !dpo && (g.beta > 0 || (g.label_mode === 'restrain' && g.restrain.promptWeights === true));
  const sftSteps = run.sft.steps;

  const sftStep = sftSteps > 0 ? trainStepBytes(c, run.sft.batch, sftT, 'sft') : 0;
  const grpoStep = dpo ? trainStepBytes(c, perMinibatch, grpoT, 'grpo', { oldLogp: false, refLogp: true }) : trainStepBytes(c, perMinibatch, grpoT, 'grpo', { oldLogp: g.num_iterations > 1, refLogp: g.beta > 0 });
  const rollout = rolloutBytes(c, rolloutBatch, promptTokens, g.max_completion_length);
  const optimizer = 2 * paramBytes;
  const sftOptimizer = sftSteps > 0 ? optimizer : 0;
  // DPO's generator is a frozen copy (with unused gradient buffers), and π_ref another unless it is the generator.
  const frozenCopies = dpo ? (run.dpo.ref_sync ? 1 : 2) : hasReference ? 1 : 0;
  const reference = frozenCopies * 2 * paramBytes;
  const resident = 2 * paramBytes;
  const peak = Math.max(resident + sftOptimizer + sftStep, resident + sftOptimizer + optimizer + reference + Math.max(grpoStep, rollout));
  const largest = largestTensor(c, [
    ...(sftSteps > 0 ? [{ B: run.sft.batch, T: sftT, S: sftT }] : []),
    { B: perMinibatch, T: grpoT, S: grpoT },
    { B: rolloutBatch, T: promptTokens, S: promptTokens },
  ]);
  const kv = kvCacheBytes(c, rolloutBatch, promptTokens + g.max_completion_length);
  if (kv / c.nLayer / 2 > largest.bytes) Object.assign(largest, { bytes: kv / c.nLayer / 2, what: `one layer's KV cache for ${rolloutBatch} sequences` });

  const fwd = forwardFlops(c, { B: sequences, T: grpoT, S: grpoT });
  const rolloutCost = (B: number) => rolloutFlops(c, B, promptTokens, g.max_completion_length);
  const evalCost = (rolloutCost(evalSequences) + rolloutCost(run.eval.n)) / run.eval.every;
  // DPO: one rollout, π_ref's forward over the pairs, one training step on them.
  const dpoIterationFlops = rolloutCost(sequences) + forwardFlops(c, { B: perMinibatch, T: grpoT, S: grpoT }) + trainStepFlops(c, perMinibatch, grpoT) + evalCost;
  const grpoIterationFlops =
    rolloutCost(sequences) * (1 + (g.dynamic_sampling_rounds > 0 ? 1 : 0) + (hasReference && g.beta === 0 ? 1 : 0)) +
    (g.num_iterations > 1 ? fwd : 0) +
    (g.beta > 0 ? fwd : 0) +
    g.num_iterations * g.minibatches * trainStepFlops(c, perMinibatch, grpoT) +
    evalCost;

  return {
    parameters: P,
    parameterBytes: paramBytes,
    gradientBytes: paramBytes,
    optimizerBytes: optimizer,
    sftOptimizerBytes: sftOptimizer,
    referenceBytes: reference,
    sftStepBytes: sftStep,
    grpoStepBytes: grpoStep,
    rolloutBytes: rollout,
    kvCacheBytes: kv,
    activationBytes: Math.max(sftStep, grpoStep, rollout),
    peakBytes: peak,
    largestBufferBytes: largest.bytes,
    largestBuffer: largest.what,
    sftStepFlops: sftSteps > 0 ? trainStepFlops(c, run.sft.batch, sftT) : 0,
    grpoIterationFlops: dpo ? dpoIterationFlops : grpoIterationFlops,
    sftSteps,
    iterations: run.iterations,
  };
}

export interface Verdict {
  estimate: RunEstimate;
  /** Why the run cannot start on this device (with the numbers), or null. */
  refusal: string | null;
  /** The run fits but is slow here: the ETA to confirm, or null (also null while the speed is unknown). */
  slow: string | null;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n >= 100 || i === 0 ? Math.round(n) : n.toPrecision(3)} ${units[i]}`;
}

export function formatDuration(s: number): string {
  if (s < 1) return 'under 1 s';
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${(s / 3600).toPrecision(2)} h`;
  return `${Math.round(s / 86400)} days`;
}

const formatFlops = (f: number) => (f >= 1e12 ? `${(f / 1e12).toPrecision(3)} TFLOP` : f >= 1e9 ? `${(f / 1e9).toPrecision(3)} GFLOP` : `${(f / 1e6).toPrecision(3)} MFLOP`);

const formatCount = (n: number) => (n >= 1e9 ? `${(n / 1e9).toPrecision(3)} G` : n >= 1e6 ? `${(n / 1e6).toPrecision(3)} M` : `${(n / 1e3).toPrecision(3)} k`);

const nextPowerOfTwo = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(16, n)));

/** The memory a run needs, by kind, in one line. */
export function describeMemory(e: RunEstimate): string {
  return (
    `${formatCount(e.parameters)} parameters (${formatBytes(e.parameterBytes)}, gradients ${formatBytes(e.gradientBytes)}), ` +
    `optimizer state ${formatBytes(e.optimizerBytes + e.sftOptimizerBytes)}, reference ${formatBytes(e.referenceBytes)}, ` +
    `activations of the largest step ${formatBytes(e.activationBytes)}, KV cache ${formatBytes(e.kvCacheBytes)}: peak ${formatBytes(e.peakBytes)}`
  );
}

/**
 * Refuse or warn before any work starts. `flopsPerSecond`: the speed this backend has shown (measured steps, or
 * a probe); null when unknown, which skips the slowness check.
 */
export function guardRun(run: RunConfig, limits: DeviceLimits, flopsPerSecond: number | null): Verdict {
  const e = estimateRun(run);
  const problems: string[] = [];
  const buffer = limits.roundsToPowerOfTwo ? nextPowerOfTwo(e.largestBufferBytes) : e.largestBufferBytes;
  const bufferLimit = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
  if (buffer > bufferLimit) {
    const which = limits.maxStorageBufferBindingSize <= limits.maxBufferSize ? 'maxStorageBufferBindingSize' : 'maxBufferSize';
    problems.push(`its largest buffer, ${e.largestBuffer}, needs ${formatBytes(buffer)} but ${which} here is ${formatBytes(bufferLimit)}`);
  }
  if (e.peakBytes > limits.memoryBytes) problems.push(`it needs ${formatBytes(e.peakBytes)} at its peak but ${formatBytes(limits.memoryBytes)} is available`);
  if (WORKGROUP_BYTES_NEEDED > limits.maxComputeWorkgroupStorageSize) {
    problems.push(`the matmul kernel needs ${WORKGROUP_BYTES_NEEDED} bytes of workgroup memory but maxComputeWorkgroupStorageSize here is ${limits.maxComputeWorkgroupStorageSize}`);
  }
  const refusal = problems.length ? `This run cannot fit on ${limits.backend}: ${problems.join('; ')}. It would hold ${describeMemory(e)}. Use a smaller model, batch or context.` : null;
  let slow: string | null = null;
  if (!refusal && flopsPerSecond && flopsPerSecond > 0) {
    const perIteration = e.grpoIterationFlops / flopsPerSecond;
    const warmStart = (e.sftSteps * e.sftStepFlops) / flopsPerSecond;
    if (perIteration > SLOW_ITERATION_S || warmStart > SLOW_WARM_START_S) {
      slow =
        `This run will be slow here: ≈ ${formatDuration(perIteration)} per GRPO iteration (${formatFlops(e.grpoIterationFlops)} each at the ` +
        `${(flopsPerSecond / 1e9).toPrecision(2)} GFLOP/s ${limits.backend} has shown), warm-start ≈ ${formatDuration(warmStart)}, ` +
        `all ${e.iterations} iterations ≈ ${formatDuration(warmStart + perIteration * e.iterations)}.`;
    }
  }
  return { estimate: e, refusal, slow };
}

/**
 * A short speed probe for a backend that has not trained yet: a few 256³ matmuls, timed through a read-back.
 * Real steps mix in smaller kernels, so the guard prefers the speed of measured steps once there are some.
 */
export async function probeFlops(be: Backend): Promise<number> {
  const n = 256, repeats = 4;
  const a = be.fromArray(new Float32Array(n * n).fill(0.5), [n, n]);
  const out = be.zeros([n, n]);
  be.matmul(a, a, out);
  await be.read(out);
  const t0 = performance.now();
  for (let i = 0; i < repeats; i++) be.matmul(a, a, out);
  await be.read(out);
  const seconds = Math.max(1e-6, (performance.now() - t0) / 1000);
  be.release(a);
  be.release(out);
  return (repeats * 2 * n * n * n) / seconds;
}
