/**
 * `npm run -s bench -- --anchor [--sizes 64,128,256] [--backends cpu,wasm,webgpu] [--iters N] [--oracle-all]
 * [--torch-threads 1,2] [--no-torch] [--out FILE]`: one toy GRPO iteration, timed by phase, on our backends and on PyTorch CPU
 * (1 and 2 threads) in the same run, with the ratio ours/PyTorch per phase. One JSON object on stdout.
 *
 * The workload (scripts/anchor_torch.py runs the same one in PyTorch eager): vocab 32, 8 prompts × 16
 * completions, prompt length 16, 32 new tokens; a pre-norm decoder with RMSNorm, RoPE, untied head and a
 * SiLU MLP of width 4C. Phases:
 *   rollout  KV-cache sampling of 32 tokens for all 128 sequences (prefill included), results read back
 *   fwdbwd   forward over prompt + completion (47 positions), token log-probs, the clipped GRPO loss, backward
 *   adamw    one AdamW update of every parameter (no clipping, weight decay 0.01, as torch.optim.AdamW)
 * Iterations: 2 warm-ups, then `iters` timed ones; medians per phase. iter = the sum of the phase medians.
 * Each of our iterations is followed by one PyTorch iteration per thread count (scripts/anchor_torch.py --serve,
 * kept running per size), so on a shared, noisy machine both sides of a ratio see the same load. A backend's
 * ratio is against the PyTorch iterations interleaved with its own; `torch` reports all of them at that size.
 * The oracle (`cpu`) takes ~20 s an iteration at C64, so it runs only at C64 unless --oracle-all.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Backend, BackendName, BackendStats } from '../src/engine/backend';
import { createCpuBackend } from '../src/engine/backend/cpu';
import { createWasmBackend } from '../src/engine/backend/wasm';
import { Graph } from '../src/engine/autograd';
import { tokenLogprobs } from '../src/engine/ops/loss';
import { policyLoss } from '../src/engine/ops/policyLoss';
import { AdamW } from '../src/engine/optim';
import { Rng } from '../src/engine/rng';
import { presetConfig } from '../src/model/config';
import { generate } from '../src/model/generate';
import { Transformer } from '../src/model/transformer';
import { createNodeWebGpuBackend } from '../src/node/gpu';

/** The workload's fixed dimensions (the same in anchor_torch.py). */
const VOCAB = 32, PROMPTS = 8, GROUP = 16, PROMPT_LEN = 16, NEW_TOKENS = 32, WARMUP = 2;
const BATCH = PROMPTS * GROUP;
/** Model sizes by width: heads and layers as in the table. */
const SIZES: Record<number, { H: number; L: number }> = { 64: { H: 2, L: 2 }, 128: { H: 4, L: 4 }, 256: { H: 8, L: 6 } };
const PHASES = ['rollout', 'fwdbwd', 'adamw', 'iter'] as const;
type Phase = (typeof PHASES)[number];
type PhaseMs = Record<Phase, number>;
/** The phases timed directly (iter is their sum). */
const TIMED = ['rollout', 'fwdbwd', 'adamw'] as const;
type PhaseTimes = Record<(typeof TIMED)[number], number[]>;
const emptyTimes = (): PhaseTimes => ({ rollout: [], fwdbwd: [], adamw: [] });

interface AnchorArgs {
  sizes: number[];
  backends: BackendName[];
  iters: number;
  oracleAll: boolean;
  torch: boolean;
  torchThreads: number[];
  out: string | null;
}

export async function runAnchor(argv: string[]): Promise<void> {
  const args = parseAnchorArgs(argv);
  const report: Record<string, unknown> = { workload: workloadDescription(), date: new Date().toISOString(), iters: args.iters };
  const torch = args.torch ? findTorchPython() : null;
  report.torch = torch ? { python: torch } : { skipped: args.torch ? 'no python3 with torch found' : '--no-torch' };
  const rows = [];
  for (const C of args.sizes) {
    const row: Record<string, unknown> = { C, H: SIZES[C].H, L: SIZES[C].L };
    const servers = torch ? args.torchThreads.map((threads) => new TorchServer(torch, C, threads)) : [];
    const ours: Record<string, unknown> = {};
    const paired: Record<string, PhaseTimes[]> = {};
    const pooled: PhaseTimes[] = servers.map(() => emptyTimes());
    for (const name of args.backends) {
      if (name === 'cpu' && C > 64 && !args.oracleAll) {
        ours[name] = { skipped: 'the oracle takes minutes per iteration above C64 (pass --oracle-all)' };
        continue;
      }
      paired[name] = servers.map(() => emptyTimes());
      ours[name] = await measureBackend(name, C, args.iters, async (timed) => {
        for (const [i, server] of servers.entries()) {
          const t = await server.iteration();
          if (!timed) continue;
          for (const k of TIMED) {
            paired[name][i][k].push(t[k]);
            pooled[i][k].push(t[k]);
          }
        }
      });
      process.stderr.write(`anchor C${C} ${name}: ${JSON.stringify(ours[name])}\n`);
    }
    // No backend ran at this size: PyTorch still gets its own timed iterations.
    for (const [i, server] of servers.entries()) {
      for (let it = 0; pooled[i].rollout.length === 0 && it < WARMUP + args.iters; it++) {
        const t = await server.iteration();
        if (it >= WARMUP) for (const k of TIMED) pooled[i][k].push(t[k]);
      }
    }
    await Promise.all(servers.map((s) => s.close()));
    if (servers[0]) report.torch = { python: torch, ...servers[0].info };
    if (servers.length) {
      row.torch = Object.fromEntries(servers.map((s, i) => [`torch${s.threads}t`, phaseMedians(pooled[i])]));
      row.ratio = ratios(ours, paired, servers);
      process.stderr.write(`anchor C${C} torch: ${JSON.stringify(row.torch)}\n`);
    }
    row.ours = ours;
    rows.push(row);
  }
  report.sizes = rows;
  const json = `${JSON.stringify(report, null, 2)}\n`;
  process.stdout.write(json);
  if (args.out) await writeFile(args.out, json);
}

function parseAnchorArgs(argv: string[]): AnchorArgs {
  const args: AnchorArgs = { sizes: [64, 128, 256], backends: ['cpu', 'wasm', 'webgpu'], iters: 5, oracleAll: false, torch: true, torchThreads: [1, 2], out: null };
  const list = (flag: string, v: string | undefined) => (v ?? fail(`${flag} needs a comma-separated list`)).split(',');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--anchor' || a === '--') continue;
    if (a === '--sizes') {
      args.sizes = list(a, argv[++i]).map(Number);
      const bad = args.sizes.filter((c) => !SIZES[c]);
      if (bad.length) fail(`--sizes: ${bad.join(', ')} is not one of ${Object.keys(SIZES).join(', ')}`);
    } else if (a === '--backends') {
      const names = list(a, argv[++i]);
      const bad = names.filter((n) => n !== 'cpu' && n !== 'wasm' && n !== 'webgpu');
      if (bad.length) fail(`--backends: unknown backend ${bad.join(', ')} (cpu, wasm or webgpu)`);
      args.backends = names as BackendName[];
    } else if (a === '--iters') {
      args.iters = Number(argv[++i]);
      if (!Number.isInteger(args.iters) || args.iters < 1) fail('--iters must be a positive integer');
    } else if (a === '--torch-threads') {
      args.torchThreads = list(a, argv[++i]).map(Number);
      if (!args.torchThreads.every((t) => Number.isInteger(t) && t >= 1)) fail('--torch-threads must list positive integers');
    } else if (a === '--oracle-all') args.oracleAll = true;
    else if (a === '--no-torch') args.torch = false;
    else if (a === '--out') args.out = argv[++i] ?? fail('--out needs a file name');
    else fail(`--anchor: unknown argument ${a}`);
  }
  return args;
}

function fail(msg: string): never {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(2);
}

function workloadDescription() {
  return { vocab: VOCAB, prompts: PROMPTS, group: GROUP, promptLength: PROMPT_LEN, newTokens: NEW_TOKENS, ffn: '4C SiLU MLP', warmup: WARMUP };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function createBackend(name: BackendName): Promise<Backend> {
  if (name === 'cpu') return createCpuBackend();
  if (name === 'wasm') return createWasmBackend();
  return createNodeWebGpuBackend();
}

/**
 * Phase medians (ms), rollout tokens/s and, where the backend counts them, per-iteration device-work deltas.
 * `after` runs after each iteration (timed: false for warm-ups): the PyTorch iterations interleaved with ours.
 */
async function measureBackend(
  name: BackendName,
  C: number,
  iters: number,
  after: (timed: boolean) => Promise<void>,
): Promise<Record<string, unknown>> {
  let be: Backend;
  try {
    be = await createBackend(name);
  } catch (e) {
    return { skipped: `${name} is not available here: ${(e as Error).message}` };
  }
  const { H, L } = SIZES[C];
  const config = presetConfig('tiny', VOCAB, { nEmbd: C, nHead: H, nLayer: L, ffnHidden: 4 * C, contextLength: PROMPT_LEN + NEW_TOKENS });
  const model = Transformer.init(be, config, 0);
  const opt = new AdamW(be, [...model.params.values()].map((p) => ({ name: p.name, param: p.value, grad: p.grad, decay: true })));
  const rng = new Rng(0);
  const prompts = Array.from({ length: BATCH }, () => Array.from({ length: PROMPT_LEN }, () => rng.int(VOCAB)));
  const times = emptyTimes();
  const deltas: BackendStats[] = [];
  for (let it = 0; it < WARMUP + iters; it++) {
    const before = be.stats?.();
    const t = await iteration(be, model, opt, prompts, it, rng);
    const stats = be.stats?.();
    await after(it >= WARMUP);
    if (it < WARMUP) continue;
    for (const k of TIMED) times[k].push(t[k]);
    if (before && stats) deltas.push(statsDelta(before, stats));
  }
  const phases = phaseMedians(times);
  opt.dispose();
  be.dispose();
  return {
    device: be.device.description,
    ms: phases,
    rolloutTokensPerSec: Math.round((BATCH * NEW_TOKENS) / (phases.rollout / 1000)),
    trainTokensPerSec: Math.round((BATCH * (PROMPT_LEN + NEW_TOKENS - 1)) / (phases.fwdbwd / 1000)),
    ...(deltas.length ? { perIteration: deltas[Math.floor(deltas.length / 2)] } : {}),
  };
}

/** One GRPO iteration of the workload; returns each phase's wall time (ms), read-backs included. */
async function iteration(be: Backend, model: Transformer, opt: AdamW, prompts: number[][], it: number, rng: Rng) {
  const t0 = performance.now();
  const rollouts = await generate(be, model, prompts, {
    maxNewTokens: NEW_TOKENS,
    temperature: 1,
    topK: 0,
    topP: 1,
    greedy: false,
    seed: 1,
    stream: it,
  });
  const t1 = performance.now();
  // Host-side scoring, as in the PyTorch script: reward = first token even, plus noise; group-normalised.
  const rewards = rollouts.map((r) => (r.tokens[0] % 2 === 0 ? 1 : 0) + 0.1 * rng.uniform());
  const advantages = groupAdvantages(rewards);
  const T = PROMPT_LEN + NEW_TOKENS - 1, N = BATCH * T;
  const ids = new Int32Array(BATCH * T), targets = new Int32Array(N), positions = new Int32Array(N);
  const oldLogp = new Float32Array(N), adv = new Float32Array(N), weights = new Float32Array(N);
  rollouts.forEach((r, b) => {
    // All 32 tokens count, as in PyTorch; a completion cut at EOS is padded with EOS (the cost ignores values).
    const full = [...r.prompt, ...Array.from({ length: NEW_TOKENS }, (_, s) => r.tokens[s] ?? r.tokens[r.tokens.length - 1])];
    for (let t = 0; t < T; t++) {
      const n = b * T + t;
      ids[n] = full[t];
      targets[n] = full[t + 1];
      positions[n] = t;
      if (t >= PROMPT_LEN - 1) {
        oldLogp[n] = r.logprobs[t - PROMPT_LEN + 1] ?? 0;
        adv[n] = advantages[b];
        weights[n] = 1 / (BATCH * NEW_TOKENS);
      }
    }
  });
  const g = new Graph(be);
  model.zeroGrads(be);
  const { logits } = model.forward(g, g.input(ids, [BATCH, T], 'i32'), g.input(positions, [BATCH, T], 'i32'));
  const { logp, entropy } = tokenLogprobs(g, logits, g.input(targets, [N], 'i32'));
  const lossWeights = g.input(weights, [N]);
  const stats = policyLoss(
    g,
    logp,
    { oldLogp: g.input(oldLogp, [N]), refLogp: logp, advantages: g.input(adv, [N]), weights: lossWeights },
    { epsLow: 0.2, epsHigh: 0.28, beta: 0, delta: null },
    { entropy, weights: lossWeights, coef: 0 },
  );
  g.backward(stats);
  await be.read(logp);
  const t2 = performance.now();
  opt.step({ lr: 1e-3 });
  await be.read(opt.stats);
  const t3 = performance.now();
  g.dispose();
  return { rollout: t1 - t0, fwdbwd: t2 - t1, adamw: t3 - t2 };
}

function groupAdvantages(rewards: number[]): number[] {
  return rewards.map((r, i) => {
    const group = rewards.slice(i - (i % GROUP), i - (i % GROUP) + GROUP);
    const mean = group.reduce((a, b) => a + b, 0) / GROUP;
    const std = Math.sqrt(group.reduce((a, b) => a + (b - mean) ** 2, 0) / (GROUP - 1));
    return (r - mean) / (std + 1e-4);
  });
}

function statsDelta(before: BackendStats, after: BackendStats): BackendStats {
  return {
    submits: after.submits - before.submits,
    readbacks: after.readbacks - before.readbacks,
    bytesRead: after.bytesRead - before.bytesRead,
    pipelines: after.pipelines - before.pipelines,
    // Pool size and live buffers are levels, not flows: report where they stand after the iteration.
    poolBytes: after.poolBytes,
    liveBuffers: after.liveBuffers,
  };
}

/** Median of each phase, iter = their sum, rounded to 0.01 ms. */
function phaseMedians(t: PhaseTimes): PhaseMs {
  const ms = { rollout: median(t.rollout), fwdbwd: median(t.fwdbwd), adamw: median(t.adamw) };
  const all: PhaseMs = { ...ms, iter: ms.rollout + ms.fwdbwd + ms.adamw };
  return Object.fromEntries(PHASES.map((k) => [k, +all[k].toFixed(2)])) as PhaseMs;
}

/** A python3 that imports torch, or null. */
function findTorchPython(): string | null {
  for (const py of ['/usr/bin/python3', 'python3']) {
    if (py.startsWith('/') && !existsSync(py)) continue;
    const probe = spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' });
    if (probe.status === 0) return py;
  }
  return null;
}

/** scripts/anchor_torch.py --serve for one size and thread count: one PyTorch iteration per request. */
class TorchServer {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly lines: string[] = [];
  private waiting: ((line: string | null) => void) | null = null;
  private stderr = '';
  private ended = false;
  private started = false;

  constructor(
    python: string,
    C: number,
    readonly threads: number,
  ) {
    const script = fileURLToPath(new URL('./anchor_torch.py', import.meta.url));
    const { H, L } = SIZES[C];
    this.proc = spawn(python, [script, '--C', `${C}`, '--H', `${H}`, '--L', `${L}`, '--threads', `${threads}`, '--serve']);
    this.proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    createInterface({ input: this.proc.stdout })
      .on('line', (line) => this.deliver(line))
      .on('close', () => {
        this.ended = true;
        this.deliver(null);
      });
  }

  /** The ready line's facts: torch version, threads, BLAS and CPU capability of the build. */
  info: Record<string, unknown> = {};

  /** Time one iteration (the first answer is the ready line, kept in `info`). */
  async iteration(): Promise<Record<(typeof TIMED)[number], number>> {
    if (!this.started) {
      this.started = true;
      this.info = JSON.parse(await this.next());
      delete this.info.ready;
    }
    this.proc.stdin.write('iter\n');
    return JSON.parse(await this.next());
  }

  async close(): Promise<void> {
    this.proc.stdin.end();
    while (!this.ended) await this.next().catch(() => undefined);
  }

  private next(): Promise<string> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.ended) return Promise.reject(this.failure());
    return new Promise((resolve, reject) => {
      this.waiting = (l) => (l === null ? reject(this.failure()) : resolve(l));
    });
  }

  private deliver(line: string | null): void {
    const w = this.waiting;
    this.waiting = null;
    if (w) w(line);
    else if (line !== null) this.lines.push(line);
  }

  private failure(): Error {
    return new Error(`anchor_torch.py (${this.threads} thread(s)) stopped: ${this.stderr.trim().split('\n').pop() ?? 'no output'}`);
  }
}

/** ours/PyTorch per phase for every measured backend, against the PyTorch iterations interleaved with it. */
function ratios(ours: Record<string, unknown>, paired: Record<string, PhaseTimes[]>, servers: TorchServer[]) {
  const out: Record<string, Record<string, PhaseMs>> = {};
  for (const [name, r] of Object.entries(ours)) {
    const ms = (r as { ms?: PhaseMs }).ms;
    if (!ms) continue;
    out[name] = {};
    for (const [i, s] of servers.entries()) {
      const base = phaseMedians(paired[name][i]);
      out[name][`torch${s.threads}t`] = Object.fromEntries(PHASES.map((k) => [k, +(ms[k] / base[k]).toFixed(3)])) as PhaseMs;
    }
  }
  return out;
}
