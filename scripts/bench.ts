/**
 * Engine benchmark: `npm run -s bench -- --backend webgpu|wasm|cpu [--large] [--reps N] [--out FILE]` prints one JSON
 * object (also written to FILE; `-s` keeps npm's banner out of stdout).
 *   matmul     GFLOP/s for square sizes (2·n³ flops per product)
 *   attention  causal scores → softmax → values forward, GFLOP/s (4·B·H·T²·D flops, counting masked work)
 *   step       one full forward + backward + AdamW step (an SFT step) of the policy per preset, ms and tokens/s
 *   rollout    batched on-device generation (KV cache, sampling) per preset, new tokens/s
 *   grpo       one GRPO iteration per preset split by phase (rollout, scoring, fwd+bwd+update), medians; on WebGPU
 *              also its device work (submits, read-backs, bytes read, pipelines, pool growth: Backend.stats deltas)
 *              and, where the adapter has timestamp-query, GPU time per kernel family over one profiled iteration
 * `--anchor` runs the side-by-side GRPO workload against PyTorch instead (scripts/anchor.ts).
 * Timing: warm-up, then `reps` timed rounds; each round records `iters` calls, flushes once and waits for a
 * one-element read-back (so GPU time is included); medians are reported. Speed targets live here, never in tests.
 */
import { writeFile } from 'node:fs/promises';
import { statsDelta, type Backend, type BackendStats } from '../src/engine/backend';
import type { WebGpuBackend } from '../src/engine/backend/webgpu';
import { createCpuBackend } from '../src/engine/backend/cpu';
import { createWasmBackend } from '../src/engine/backend/wasm';
import { Graph } from '../src/engine/autograd';
import { crossEntropy } from '../src/engine/ops/loss';
import { AdamW } from '../src/engine/optim';
import { Rng } from '../src/engine/rng';
import type { Tensor } from '../src/engine/tensor';
import { presetConfig, type PresetName } from '../src/model/config';
import { generate } from '../src/model/generate';
import { Transformer } from '../src/model/transformer';
import { Experiment } from '../src/rl/experiment';
import { parseRunConfig } from '../src/rl/runConfig';
import { createNodeWebGpuBackend } from '../src/node/gpu';
import { runAnchor } from './anchor';

interface Args {
  backend: 'webgpu' | 'wasm' | 'cpu';
  large: boolean;
  reps: number;
  out: string | null;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { backend: 'webgpu', large: false, reps: 5, out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--backend') {
      const v = argv[++i];
      if (v !== 'webgpu' && v !== 'wasm' && v !== 'cpu') fail(`--backend must be webgpu, wasm or cpu, got ${v}`);
      args.backend = v;
    } else if (a === '--large') args.large = true;
    else if (a === '--reps') {
      args.reps = Number(argv[++i]);
      if (!Number.isInteger(args.reps) || args.reps < 1) fail('--reps must be a positive integer');
    } else if (a === '--out') {
      args.out = argv[++i] ?? fail('--out needs a file name');
    } else if (a !== '--') fail(`unknown argument ${a}`);
  }
  return args;
}

function fail(msg: string): never {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(2);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median milliseconds per call of `fn`, GPU completion included. */
async function timePerCall(be: Backend, fn: () => void, sync: Tensor, iters: number, reps: number): Promise<number> {
  fn();
  await be.read(sync);
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) fn();
    await be.read(sync);
    times.push((performance.now() - t0) / iters);
  }
  return median(times);
}

function randomTensor(be: Backend, rng: Rng, shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return be.fromArray(rng.fillNormal(new Float32Array(n)), shape);
}

async function benchMatmul(be: Backend, sizes: number[], reps: number) {
  const rng = new Rng(1);
  const rows = [];
  for (const n of sizes) {
    const a = randomTensor(be, rng, [n, n]), b = randomTensor(be, rng, [n, n]), out = be.zeros([n, n]);
    const iters = Math.max(1, Math.round(2e8 / (2 * n ** 3)));
    const ms = await timePerCall(be, () => be.matmul(a, b, out), be.zeros([1]), Math.min(iters, 50), reps);
    rows.push({ m: n, n, k: n, ms: +ms.toFixed(4), gflops: +((2 * n ** 3) / ms / 1e6).toFixed(3) });
    for (const t of [a, b, out]) be.release(t);
  }
  return rows;
}

async function benchAttention(be: Backend, shape: { B: number; H: number; T: number; D: number }, reps: number) {
  const { B, H, T, D } = shape;
  const rng = new Rng(2);
  const q = randomTensor(be, rng, [B, T, H, D]), k = randomTensor(be, rng, [B, T, H, D]), v = randomTensor(be, rng, [B, T, H, D]);
  const scores = be.zeros([B, H, T, T]), probs = be.zeros([B, H, T, T]), out = be.zeros([B, T, H, D]);
  const mask = { qPos0: 0, kLen: T };
  const ms = await timePerCall(
    be,
    () => {
      be.attnScores(q, k, scores, 1 / Math.sqrt(D), mask);
      be.attnSoftmax(scores, probs, mask);
      be.attnValues(probs, v, out);
    },
    be.zeros([1]),
    3,
    reps,
  );
  return { ...shape, ms: +ms.toFixed(4), gflops: +((4 * B * H * T * T * D) / ms / 1e6).toFixed(3) };
}

async function benchStep(be: Backend, preset: PresetName, reps: number) {
  const B = 8, T = 64, V = 32;
  const model = Transformer.init(be, presetConfig(preset, V), 1);
  const opt = new AdamW(be, [...model.params.values()].map((p) => ({ name: p.name, param: p.value, grad: p.grad, decay: p.decay })));
  const rng = new Rng(3);
  const ids = Int32Array.from({ length: B * T }, () => rng.int(V));
  const positions = Int32Array.from({ length: B * T }, (_, i) => i % T);
  const targets = Int32Array.from({ length: B * T }, () => rng.int(V));
  const weights = new Float32Array(B * T).fill(1 / (B * T));
  const step = () => {
    const g = new Graph(be);
    model.zeroGrads(be);
    const { logits } = model.forward(g, g.input(ids, [B, T], 'i32'), g.input(positions, [B, T], 'i32'));
    const loss = crossEntropy(g, logits, g.input(targets, [B * T], 'i32'), g.input(weights, [B * T]));
    g.backward(loss);
    opt.step({ lr: 1e-3, maxGradNorm: 1 });
    g.dispose();
  };
  const ms = await timePerCall(be, step, opt.stats, 1, reps);
  let nParams = 0;
  for (const p of model.params.values()) nParams += p.value.numel;
  return { preset, batch: B, seq: T, params: nParams, ms: +ms.toFixed(3), tokensPerSec: Math.round((B * T) / (ms / 1000)) };
}

async function benchRollout(be: Backend, preset: PresetName, reps: number) {
  const B = 16, P = 8, N = 32, V = 32;
  const model = Transformer.init(be, presetConfig(preset, V, { contextLength: P + N }), 1);
  const prompts = Array.from({ length: B }, (_, b) => Array.from({ length: P }, (_, t) => 3 + ((b + t) % (V - 3))));
  const opts = { maxNewTokens: N, temperature: 1, topK: 0, topP: 1, greedy: false, seed: 1 };
  await generate(be, model, prompts, opts);
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await generate(be, model, prompts, { ...opts, stream: r });
    times.push(performance.now() - t0);
  }
  const ms = median(times);
  return { preset, batch: B, promptLength: P, newTokens: N, ms: +ms.toFixed(2), tokensPerSec: Math.round((B * N) / (ms / 1000)) };
}

async function benchGrpo(be: Backend, preset: PresetName, reps: number) {
  const run = parseRunConfig({
    task: 'addition',
    difficulty: { digits: 2 },
    model: { preset, contextLength: 16 },
    sft: { steps: 0, batch: 1, lr: 1e-3 },
    grpo: { num_generations: 8, prompts_per_step: 8, max_completion_length: 4 },
    // Warm-up, the timed reps, and one profiled iteration.
    iterations: reps + 2,
    eval: { n: 0, every: 1000 },
  });
  const exp = new Experiment(be, run);
  await exp.trainStep();
  const phases: Record<string, number[]> = { total: [], rollout: [], scoring: [], optimization: [] };
  let perIteration: BackendStats | null = null;
  for (let r = 0; r < reps; r++) {
    const before = be.stats?.();
    const { metrics } = await exp.trainStep();
    if (before) perIteration = statsDelta(be.stats!(), before);
    phases.total.push(metrics.step_time * 1000);
    phases.rollout.push(metrics['time/rollout'] * 1000);
    phases.scoring.push(metrics['time/scoring'] * 1000);
    phases.optimization.push(metrics['time/optimization'] * 1000);
  }
  const ms = Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, +median(v).toFixed(2)]));
  const deviceWork = perIteration ? { perIteration, total: be.stats!() } : `not counted on ${be.name}`;
  return { preset, prompts: 8, generations: 8, newTokens: 4, ms, deviceWork, gpuTimeMs: await gpuTimePerFamily(be, exp) };
}

/**
 * GPU time per kernel family over one more iteration, from timestamp queries. Profiling gives every dispatch a
 * compute pass of its own, so this iteration is kept out of the timings above.
 */
async function gpuTimePerFamily(be: Backend, exp: Experiment): Promise<Record<string, { ms: number; dispatches: number }> | string> {
  const runtime = (be as Partial<WebGpuBackend>).runtime;
  if (!runtime) return `unavailable: ${be.name} has no GPU`;
  const profiler = runtime.startProfiling();
  if (!profiler) return 'unavailable: the adapter has no timestamp-query';
  await exp.trainStep();
  runtime.stopProfiling();
  const families = await profiler.results();
  return Object.fromEntries(families.map((f) => [f.family, { ms: +f.ms.toFixed(3), dispatches: f.dispatches }]));
}

async function main() {
  if (process.argv.includes('--anchor')) return runAnchor(process.argv.slice(2));
  const args = parseArgs(process.argv.slice(2));
  const be = args.backend === 'cpu' ? createCpuBackend() : args.backend === 'wasm' ? await createWasmBackend() : await createNodeWebGpuBackend();
  const onCpu = args.backend !== 'webgpu';
  const sizes = args.large ? [256, 1024, 2048, 4096] : onCpu ? [64, 128, 256] : [64, 256, 512];
  const presets: PresetName[] = args.large ? ['tiny', 'small', 'medium'] : ['tiny', 'small'];
  const report = {
    backend: args.backend,
    device: be.device,
    date: new Date().toISOString(),
    reps: args.reps,
    matmul: await benchMatmul(be, sizes, args.reps),
    attention: await benchAttention(be, args.large ? { B: 8, H: 8, T: 256, D: 32 } : { B: 2, H: 2, T: 64, D: 16 }, args.reps),
    step: [] as Array<Awaited<ReturnType<typeof benchStep>>>,
    rollout: [] as Array<Awaited<ReturnType<typeof benchRollout>>>,
    grpo: [] as Array<Awaited<ReturnType<typeof benchGrpo>>>,
  };
  for (const p of presets) {
    report.step.push(await benchStep(be, p, args.reps));
    report.rollout.push(await benchRollout(be, p, args.reps));
    report.grpo.push(await benchGrpo(be, p, args.reps));
  }
  const json = `${JSON.stringify(report, null, 2)}\n`;
  process.stdout.write(json);
  if (args.out) await writeFile(args.out, json);
  be.dispose();
}

void main();
