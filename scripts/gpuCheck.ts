/**
 * GPU check: does our WGSL compute what the cpu oracle computes on this machine's GPU? For a run on a real GPU
 * (`npm run bundle:gpu` bundles it into .gpu/gpucheck.mjs, which needs no node_modules), or here through
 * `npm run -s gpu-check -- [--out FILE]`. Prints one JSON document:
 *   adapter   what Dawn reports about the adapter (vendor, architecture, device, description, features, limits)
 *   parity    every kernel family of src/engine/kernels.ts, and the dpoLoss op (src/engine/ops/preference.ts),
 *             on webgpu against the cpu oracle at shapes larger than the unit tests' (tests/engine/*.parity.test.ts),
 *             with the tolerances of those tests: per output the max abs error, the max rel error (over elements
 *             whose oracle value is at least atol, where a ratio means something) and the mismatch count
 *   grpoStep  GRPO iterations of the tiny preset from the same SFT-warmed weights on cpu and webgpu: rollouts
 *             (tokens exactly, log-probs, rewards, advantages), every metric, and the weight updates, compared
 *             with tests/rl/grpoReference.test.ts's tolerances
 *   pass      everything above passed (the exit status is 1 otherwise)
 * Progress goes to stderr. Speed is not measured here: that is `npm run bench`.
 */
import { writeFile } from 'node:fs/promises';
import type { Backend } from '../src/engine/backend';
import { createCpuBackend } from '../src/engine/backend/cpu';
import { createWebGpuBackend } from '../src/engine/backend/webgpu';
import { Graph } from '../src/engine/autograd';
import type { ActivationKind, AttentionMask, MtaPadKey, SampleOptions, StochasticActivation } from '../src/engine/kernels';
import { dpoLoss } from '../src/engine/ops/preference';
import { Rng } from '../src/engine/rng';
import { viewAs, type Tensor } from '../src/engine/tensor';
import { readWeights } from '../src/model/weights';
import { nodeGpu } from '../src/node/gpu';
import { Experiment } from '../src/rl/experiment';
import { parseRunConfig } from '../src/rl/runConfig';
import type { RolloutRecord } from '../src/rl/trainer';
import { mismatches, type Tolerance } from '../tests/harness/compare';
import { randint, randn, uniform } from '../tests/harness/random';
import { TINY_RUN } from '../tests/tinyRun';

type Outputs = Record<string, Tensor>;

interface ParityCase {
  family: string;
  shape: string;
  tol?: Tolerance;
  run: (be: Backend) => Outputs;
}

/** The parity tests' tolerances (tests/engine/*.parity.test.ts), by what they cover. */
const TOL = {
  default: { atol: 1e-5, rtol: 1e-4 },
  attention: { atol: 2e-5, rtol: 2e-4 },
  /** Long f32 sums in another order than the float64 oracle: matmul, MTA's weight gradients, RoPE's angles. */
  sums: { atol: 1e-4, rtol: 1e-4 },
  /** Adam moments of clipped gradients are small: compared mostly relatively. */
  optim: { atol: 1e-7, rtol: 1e-4 },
  /** Counter RNG draws and sampled ids are bit-exact. */
  exact: { atol: 0, rtol: 0 },
} satisfies Record<string, Tolerance>;

/** tests/rl/grpoReference.test.ts: per-step scalars, per-element weight updates, and their root-mean-square difference. */
const GRPO_TOL = { scalars: { atol: 1e-6, rtol: 5e-5 }, logprobs: TOL.default, advantages: { atol: 1e-6, rtol: 1e-5 }, update: { atol: 2e-4, rtol: 0 }, updateRms: 1e-6 };

async function main() {
  const outFile = parseOut(process.argv.slice(2));
  const t0 = performance.now();
  const gpu = await nodeGpu();
  const adapter = await describeAdapter(gpu);
  const be = await createWebGpuBackend(gpu);
  const parity = await parityCases();
  const kernels = [];
  for (const c of parity) kernels.push(await checkParity(be, c));
  const grpoStep = await grpoStepParity(be);
  const pass = kernels.every((k) => k.pass) && grpoStep.pass;
  const report = {
    date: new Date().toISOString(),
    adapter,
    device: be.device,
    pass,
    parity: { pass: kernels.every((k) => k.pass), failed: kernels.filter((k) => !k.pass).map((k) => `${k.family} ${k.shape}`), cases: kernels },
    grpoStep,
    seconds: +((performance.now() - t0) / 1000).toFixed(1),
  };
  const json = `${JSON.stringify(report, null, 1)}\n`;
  process.stdout.write(json);
  if (outFile) await writeFile(outFile, json);
  process.stderr.write(`gpuCheck pass=${pass} on ${adapter.vendor} ${adapter.description}, ${report.seconds} s; failed: ${JSON.stringify([...report.parity.failed, ...(grpoStep.pass ? [] : ['grpo step'])])}\n`);
  be.dispose();
  process.exitCode = pass ? 0 : 1;
}

function parseOut(argv: string[]): string | null {
  if (argv.length === 0) return null;
  if (argv[0] === '--out' && argv[1] && argv.length === 2) return argv[1];
  process.stderr.write(`gpuCheck: unknown arguments ${argv.join(' ')} (usage: gpuCheck [--out FILE])\n`);
  process.exit(2);
}

async function describeAdapter(gpu: GPU) {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('gpuCheck: requestAdapter() returned null (no usable GPU adapter: is a Vulkan driver installed?)');
  const { vendor, architecture, device, description } = adapter.info;
  const l = adapter.limits;
  return {
    vendor,
    architecture,
    device,
    description,
    features: [...adapter.features].sort(),
    limits: {
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    },
  };
}

/** A view of `be` that remembers every tensor it hands out, so a case can give them all back. */
function tracking(be: Backend): { be: Backend; releaseAll: () => void } {
  const made: Tensor[] = [];
  const keep = (t: Tensor) => (made.push(t), t);
  const view = Object.assign(Object.create(be) as Backend, {
    zeros: (...a: Parameters<Backend['zeros']>) => keep(be.zeros(...a)),
    fromArray: (...a: Parameters<Backend['fromArray']>) => keep(be.fromArray(...a)),
  });
  return { be: view, releaseAll: () => made.splice(0).forEach((t) => be.release(t)) };
}

interface OutputError {
  maxAbs: number;
  maxRel: number;
  mismatches: number;
  detail?: string;
}

function compare(got: ArrayLike<number>, want: ArrayLike<number>, tol: Tolerance): OutputError {
  let maxAbs = 0, maxRel = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i]);
    if (!Number.isFinite(d)) continue;
    maxAbs = Math.max(maxAbs, d);
    if (Math.abs(want[i]) >= Math.max(tol.atol, Number.MIN_VALUE)) maxRel = Math.max(maxRel, d / Math.abs(want[i]));
  }
  const msg = mismatches(got, want, tol);
  const count = msg === null ? 0 : Number(/^(\d+)\//.exec(msg)?.[1] ?? want.length);
  return { maxAbs: +maxAbs.toExponential(3), maxRel: +maxRel.toExponential(3), mismatches: count, ...(msg ? { detail: msg } : {}) };
}

/** Run one case on the oracle and on the GPU and compare every output. A throwing case fails with its message. */
async function checkParity(gpu: Backend, c: ParityCase) {
  const tol = c.tol ?? TOL.default;
  const cpu = tracking(createCpuBackend()), dev = tracking(gpu);
  const t0 = performance.now();
  try {
    const want = c.run(cpu.be);
    const t1 = performance.now();
    const got = c.run(dev.be);
    const outputs: Record<string, OutputError> = {};
    for (const [name, t] of Object.entries(want)) outputs[name] = compare(await gpu.read(got[name]), await cpu.be.read(t), tol);
    const pass = Object.values(outputs).every((o) => o.mismatches === 0);
    const ms = { cpu: Math.round(t1 - t0), webgpu: Math.round(performance.now() - t1) };
    process.stderr.write(`gpuCheck ${pass ? 'ok  ' : 'FAIL'} ${c.family} ${c.shape} (${ms.cpu} ms cpu, ${ms.webgpu} ms webgpu)\n`);
    return { family: c.family, shape: c.shape, tol, pass, ms, outputs };
  } catch (e) {
    process.stderr.write(`gpuCheck FAIL ${c.family} ${c.shape}: ${(e as Error).message}\n`);
    return { family: c.family, shape: c.shape, tol, pass: false, error: (e as Error).message };
  } finally {
    cpu.releaseAll();
    dev.releaseAll();
  }
}

/** Random inputs of a case: the engine's counter RNG, so both backends see the same data. */
function inputs(be: Backend, seed: number) {
  const rng = new Rng(seed);
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  return {
    rng,
    normal: (shape: number[], std = 1) => be.fromArray(randn(rng, size(shape), std), shape),
    ints: (shape: number[], hi: number) => be.fromArray(randint(rng, size(shape), hi), shape, 'i32'),
    /** A zeroed tensor that `write` fills. */
    fresh: (shape: number[], write: (t: Tensor) => void) => {
      const t = be.zeros(shape);
      write(t);
      return t;
    },
  };
}

/**
 * Per named variant: the forward into a fresh output and the backward accumulating into a gradient that starts as
 * noise, returned as `<name>.out` and `<name>.dx`.
 */
function perVariant<V>(
  be: Backend,
  normal: (shape: number[]) => Tensor,
  shape: number[],
  variants: Array<[string, V]>,
  forward: (v: V, out: Tensor) => void,
  backward: (v: V, dx: Tensor) => void,
): Outputs {
  const outs: Outputs = {};
  for (const [name, v] of variants) {
    const out = be.zeros(shape), dx = normal(shape);
    forward(v, out);
    backward(v, dx);
    Object.assign(outs, { [`${name}.out`]: out, [`${name}.dx`]: dx });
  }
  return outs;
}

/** Far tails (both signs) of the overflow guards, planted at spread-out positions. */
function withTails(data: Float32Array, tails: number[]): Float32Array {
  tails.forEach((v, i) => (data[(i * 7919) % data.length] = v));
  return data;
}

// Sizes: one past a multiple of the 256-wide workgroup, about 4 MB per f32 tensor.
const N_ELEM = 1_048_577;

async function parityCases(): Promise<ParityCase[]> {
  const cases: ParityCase[] = [
    {
      family: 'elementwise',
      shape: `n=${N_ELEM}`,
      run: (be) => {
        const { normal, fresh } = inputs(be, 1);
        const n = [N_ELEM], a = normal(n), b = normal(n), da = normal(n);
        const sum = fresh(n, (t) => be.add(a, b, t));
        // axpy twice into one buffer: accumulation, not assignment; mulBackward adds into a non-zero da.
        const axpy = fresh(n, (t) => [a, b].forEach((src, i) => be.axpy(src, 0.5 + i, t)));
        const db = fresh(n, (t) => be.mulBackward(sum, a, b, da, t));
        return { sum, axpy, da, db, mul: fresh(n, (t) => be.mul(a, b, t)), scale: fresh(n, (t) => be.scale(a, -1.25, t)), fill: fresh(n, (t) => be.fill(t, 0.75)) };
      },
    },
    ...matmulCases(),
    ...[0, 1, 2].map((axis): ParityCase => reduceCase([64, 300, 96], axis)),
    {
      family: 'norm',
      shape: 'N=2048 C=1000',
      run: (be) => {
        const { normal } = inputs(be, 3);
        const [N, C] = [2048, 1000];
        const x = normal([N, C]), w = normal([C]), dout = normal([N, C]), dx = normal([N, C]), dw = normal([C]);
        const out = be.zeros([N, C]), rstd = be.zeros([N]);
        be.rmsnorm(x, w, out, rstd, 1e-5);
        be.rmsnormBackward(dout, x, w, rstd, dx, dw);
        return { out, rstd, dx, dw };
      },
    },
    {
      family: 'rope',
      shape: 'B=8 T=256 H=8 D=32, positions < 512',
      tol: TOL.sums,
      run: (be) => {
        const { normal, ints } = inputs(be, 4);
        const shape = [8, 256, 8, 32];
        const x = normal(shape), positions = ints([8, 256], 512), acc = normal(shape);
        const fwd = be.zeros(shape), inv = be.zeros(shape);
        be.rope(x, positions, fwd, 10000, false, false);
        be.rope(x, positions, inv, 500, true, false);
        be.rope(x, positions, acc, 10000, true, true);
        return { fwd, inv, acc };
      },
    },
    attentionCase('prefill', [4, 128, 8, 32], 160, { qPos0: 0, kLen: 128, keyStart: [0, 5, 17, 60] }),
    attentionCase('decode', [8, 4, 8, 32], 200, { qPos0: 150, kLen: 154, keyStart: [0, 1, 2, 3, 40, 90, 150, 153] }),
    {
      family: 'activation',
      shape: `n=${N_ELEM}, relu silu gelu sigmoid`,
      run: (be) => {
        const { rng, normal } = inputs(be, 5);
        const x = be.fromArray(withTails(randn(rng, N_ELEM, 3), [-100, 40, -12, 100]), [N_ELEM]), dout = normal([N_ELEM]);
        const kinds: ActivationKind[] = ['relu', 'silu', 'gelu', 'sigmoid'];
        return perVariant(be, normal, [N_ELEM], kinds.map((k) => [k, k]), (k, out) => be.activation(x, out, k), (k, dx) => be.activationBackward(x, dout, dx, k));
      },
    },
    {
      family: 'stochastic',
      shape: 'B=8 T=128 F=512',
      run: (be) => {
        const { rng, normal } = inputs(be, 6);
        const [B, T, F] = [8, 128, 512];
        const x = normal([B * T, F]), dout = normal([B * T, F]);
        const seeds = be.fromArray(Array.from({ length: B }, () => rng.int(2 ** 31)), [B], 'i32');
        const positions = be.fromArray(Array.from({ length: B * T }, (_, n) => (n % T) + 3), [B * T], 'i32');
        const acts: Array<[string, StochasticActivation]> = [
          ['element', { p: 0.3, region: 'negOnly', stream: 2, granularity: 'element' }],
          ['token', { p: 0.7, region: 'all', stream: 5, granularity: 'token' }],
          ['layer', { p: 0.5, region: 'negOnly', stream: 1, granularity: 'layer' }],
        ];
        const fwd = (act: StochasticActivation, out: Tensor) => be.stochActivation(x, out, seeds, positions, act);
        return perVariant(be, normal, [B * T, F], acts, fwd, (act, dx) => be.stochActivationBackward(x, dout, dx, seeds, positions, act));
      },
    },
    {
      family: 'embedding',
      shape: 'N=4096 V=512 C=256',
      run: (be) => {
        const { normal, ints } = inputs(be, 7);
        const ids = ints([4096], 512), table = normal([512, 256]), dout = normal([4096, 256]), dtable = normal([512, 256]);
        const out = be.zeros([4096, 256]);
        be.embedding(ids, table, out);
        be.embeddingBackward(ids, dout, dtable);
        return { out, dtable };
      },
    },
    {
      family: 'logprob',
      shape: 'N=512 V=4096',
      run: (be) => {
        const { rng, normal, ints } = inputs(be, 8);
        const [N, V] = [512, 4096];
        const logits = normal([N, V], 3), targets = ints([N], V);
        const logp = be.zeros([N]), entropy = be.zeros([N]), logpOnly = be.zeros([N]);
        be.tokenLogprobs(logits, targets, logp, entropy, 0.8);
        be.tokenLogprobs(logits, targets, logpOnly, null, 1.3);
        const dlogp = normal([N]), dentropy = normal([N]), dlogits = normal([N, V], 0.1), dlogitsLogpOnly = be.zeros([N, V]);
        be.tokenLogprobsBackward(logits, targets, dlogp, dentropy, dlogits, 0.8);
        be.tokenLogprobsBackward(logits, targets, dlogp, null, dlogitsLogpOnly, 1.3);
        // Cross-entropy with every third row masked out; its dlogits must be overwritten, so they start as noise.
        const weights = be.fromArray(uniform(rng, N).map((w, i) => (i % 3 === 1 ? 0 : w)), [N]);
        const ceLoss = be.zeros([N]), ceDlogits = normal([N, V]);
        be.crossEntropy(logits, targets, weights, ceLoss, ceDlogits);
        return { logp, entropy, logpOnly, dlogits, dlogitsLogpOnly, ceLoss, ceDlogits };
      },
    },
    ...samplingCases(),
    ...[
      { T: 0, delta: null },
      { T: 128, delta: 1.35 },
    ].map(({ T, delta }): ParityCase => policyLossCase(262_144, T, delta)),
    {
      family: 'logSigmoid',
      shape: `n=${N_ELEM}`,
      run: (be) => {
        const { rng, normal } = inputs(be, 9);
        const x = be.fromArray(withTails(randn(rng, N_ELEM, 4), [-80, 80, -30, 30, -17, 17, 0]), [N_ELEM]);
        const out = be.zeros([N_ELEM]), dx = normal([N_ELEM]);
        be.logSigmoid(x, out);
        be.logSigmoidBackward(x, normal([N_ELEM]), dx);
        return { out, dx };
      },
    },
    {
      family: 'optim',
      shape: `n=${N_ELEM}, 3 AdamW steps`,
      tol: TOL.optim,
      run: (be) => {
        const { normal } = inputs(be, 10);
        const param = normal([N_ELEM]), grad = normal([N_ELEM]), m = be.zeros([N_ELEM]), v = be.zeros([N_ELEM]);
        const sumsq = be.fromArray([0.5], [1]), stats = be.zeros([2]), unclipped = be.zeros([2]);
        be.sumSquares(grad, sumsq);
        be.sumSquares(param, sumsq);
        be.clipFactor(sumsq, stats, Math.sqrt(N_ELEM) / 2);
        be.clipFactor(sumsq, unclipped, Infinity);
        for (let step = 1; step <= 3; step++) be.adamw(param, grad, m, v, stats, { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, step });
        return { sumsq, stats, unclipped, param, m, v };
      },
    },
    ...mtaCases(),
    {
      family: 'dpoLoss',
      shape: 'P=4096 pairs, β=0.1',
      run: (be) => {
        const { normal } = inputs(be, 11);
        const P = 4096;
        const g = new Graph(be);
        // Sequence log-probs of tens of tokens: negative, spread widely, so margins reach the sigmoid's tails.
        const pi = g.param(normal([2, P], 20), be.zeros([2, P]));
        const out = dpoLoss(g, pi, normal([2, P], 20), 0.1);
        g.backward(out.loss);
        return { loss: out.loss, rewards: out.rewards, margins: out.margins, accuracies: out.accuracies, dpolicy: g.grad(pi) };
      },
    },
  ];
  return cases;
}

function matmulCases(): ParityCase[] {
  const [M, N, K] = [300, 260, 520];
  const layouts: ParityCase = {
    family: 'matmul',
    shape: `M=${M} N=${N} K=${K}, 4 layouts, overwrite + accumulate`,
    tol: TOL.sums,
    run: (be) => {
      const { normal } = inputs(be, 20);
      const outs: Outputs = {};
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const a = normal(transA ? [K, M] : [M, K]), b = normal(transB ? [N, K] : [K, N]);
          const fresh = be.zeros([M, N]), acc = normal([M, N]);
          be.matmul(a, b, fresh, { transA, transB });
          be.matmul(a, b, acc, { transA, transB, alpha: -0.5, accumulate: true });
          const tag = `${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`;
          Object.assign(outs, { [`out${tag}`]: fresh, [`acc${tag}`]: acc });
        }
      }
      return outs;
    },
  };
  const [Bt, m, n, k] = [4, 130, 200, 96];
  const batched: ParityCase = {
    family: 'matmul',
    shape: `batch=${Bt} M=${m} N=${n} K=${k}, 2-D operands broadcast`,
    tol: TOL.sums,
    run: (be) => {
      const { normal } = inputs(be, 21);
      const both = be.zeros([Bt, m, n]), sharedB = be.zeros([Bt, m, n]), sharedA = normal([Bt, m, n]);
      be.matmul(normal([Bt, k, m]), normal([Bt, k, n]), both, { transA: true });
      be.matmul(normal([Bt, m, k]), normal([n, k]), sharedB, { transB: true, alpha: 2 });
      be.matmul(normal([m, k]), normal([Bt, n, k]), sharedA, { transB: true, accumulate: true });
      return { both, sharedB, sharedA };
    },
  };
  return [layouts, batched];
}

function reduceCase(shape: number[], axis: number): ParityCase {
  return {
    family: 'reduce',
    shape: `x=[${shape}] axis=${axis}`,
    run: (be) => {
      const { normal, ints } = inputs(be, 30 + axis);
      const outShape = shape.filter((_, i) => i !== axis);
      const x = normal(shape);
      const sum = be.zeros(outShape), mean = be.zeros(outShape), max = be.zeros(outShape), argmax = be.zeros(outShape, 'i32');
      be.sum(x, axis, sum);
      be.mean(x, axis, mean);
      be.max(x, axis, max, argmax);
      const dout = normal(outShape), dxBroadcast = normal(shape), dxMax = normal(shape);
      be.broadcastBackward(dout, axis, 0.25, dxBroadcast);
      be.maxBackward(dout, ints(outShape, shape[axis]), axis, dxMax);
      return { sum, mean, max, argmax, dxBroadcast, dxMax };
    },
  };
}

/** Queries [B, T, H, D] against a key/value cache of Smax rows, of which the mask's kLen are valid. */
function attentionCase(name: string, [B, T, H, D]: number[], Smax: number, m: { qPos0: number; kLen: number; keyStart: number[] }): ParityCase {
  return {
    family: 'attention',
    shape: `${name} B=${B} T=${T} H=${H} D=${D} Smax=${Smax} qPos0=${m.qPos0} kLen=${m.kLen}, forward + backward + writeRows`,
    tol: TOL.attention,
    run: (be) => {
      const { normal } = inputs(be, 40 + T);
      const mask: AttentionMask = { qPos0: m.qPos0, kLen: m.kLen, keyStart: be.fromArray(m.keyStart, [B], 'i32') };
      const heads = [B, T, H, D], cache = [B, Smax, H, D], map = [B, H, T, m.kLen];
      const q = normal(heads), k = normal(cache), v = normal(cache);
      const scores = be.zeros(map), probs = be.zeros(map), out = be.zeros(heads);
      be.attnScores(q, k, scores, 1 / Math.sqrt(D), mask);
      be.attnSoftmax(scores, probs, mask);
      be.attnValues(probs, v, out);
      const rows = be.zeros([B, Smax, H * D]);
      be.writeRows(viewAs(q, [B, T, H * D]), rows, Smax - T);
      // Gradients start non-zero so that accumulation is checked, not just assignment.
      const dout = normal(heads), dprobsIn = normal(map);
      const dq = normal(heads), dk = normal(cache), dv = normal(cache), dprobs = normal(map), dscores = normal(map);
      be.attnValuesBackward(dout, probs, v, dprobs, dv);
      be.attnSoftmaxBackward(probs, dprobsIn, dscores);
      be.attnScoresBackward(dprobsIn, q, k, dq, dk, 0.7, mask);
      return { scores, probs, out, rows, dq, dk, dv, dprobs, dscores };
    },
  };
}

function samplingCases(): ParityCase[] {
  const [N, V] = [256, 4096];
  const options: Record<string, SampleOptions> = {
    plain: { temperature: 0.9, topK: 0, topP: 1, greedy: false },
    topK: { temperature: 1.1, topK: 40, topP: 1, greedy: false },
    topP: { temperature: 0.8, topK: 0, topP: 0.95, greedy: false },
    both: { temperature: 1.5, topK: 100, topP: 0.7, greedy: false },
    greedy: { temperature: 1, topK: 0, topP: 1, greedy: true },
  };
  const rng: ParityCase = {
    family: 'rng',
    shape: `n=${N_ELEM}, 3 keys`,
    tol: TOL.exact,
    run: (be) => {
      const outs: Outputs = {};
      for (const [seed, stream, counter] of [[0, 0, 0], [123456789, 5, 77], [0xdeadbeef, 0xffffffff, 2 ** 32 - 500]]) {
        const out = be.zeros([N_ELEM]);
        be.uniform(out, { seed, stream, counter });
        outs[`seed${seed}.stream${stream}`] = out;
      }
      return outs;
    },
  };
  const sample: ParityCase = {
    family: 'sample',
    shape: `N=${N} V=${V}, ${Object.keys(options).join(' ')}, random and tied logits`,
    tol: TOL.exact,
    run: (be) => {
      const { rng: r, normal } = inputs(be, 50);
      // Rounded logits tie exactly, and ties must go to the lower index on both sides.
      const logits = { random: normal([N, V], 3), tied: be.fromArray(randn(r, N * V, 2).map(Math.round), [N, V]) };
      const draws = Object.entries(options).flatMap(([name, opts], k) =>
        Object.entries(logits).map(([which, x]): [string, Tensor] => {
          const ids = be.zeros([N], 'i32');
          be.sample(x, ids, opts, { seed: 2000 + k, stream: 3, counter: 5 * N });
          return [`${name}.${which}`, ids];
        }),
      );
      return Object.fromEntries(draws);
    },
  };
  return [rng, sample];
}

/** Token level when T = 0, else GSPO rows of T tokens each counting a random prefix in its mean log-ratio. */
function policyLossCase(n: number, T: number, delta: number | null): ParityCase {
  return {
    family: 'policyLoss',
    shape: `n=${n} ${T ? `sequence rows of ${T}` : 'token'} δ=${delta}`,
    run: (be) => {
      const { rng, normal } = inputs(be, 60 + T);
      const mean = new Float32Array(n);
      for (let row = 0; T && row < n / T; row++) {
        const counted = 1 + rng.int(T);
        mean.fill(1 / counted, row * T, row * T + counted);
      }
      const sequenceMean = T ? { sequenceMean: be.fromArray(mean, [n / T, T]) } : {};
      const outputs = { stats: be.zeros([3, n]), dlogp: be.zeros([n]) };
      const policy = {
        logp: normal([n], 0.3),
        oldLogp: normal([n], 0.3),
        refLogp: normal([n], 0.3),
        advantages: normal([n]),
        weights: be.fromArray(uniform(rng, n), [n]),
      };
      be.policyLoss({ ...policy, ...sequenceMean }, outputs, { epsLow: 0.2, epsHigh: 0.28, beta: 0.04, delta });
      return outputs;
    },
  };
}

function mtaCases(): ParityCase[] {
  const [B, H, T, cq, ck] = [2, 8, 128, 6, 11];
  const shape = [B, H, T, T];
  const mask = (be: Backend): AttentionMask => ({ qPos0: 0, kLen: T, keyStart: be.fromArray([5, 0], [B], 'i32') });
  const conv = (pad: MtaPadKey): ParityCase => ({
    family: 'mta',
    shape: `mtaConv B=${B} H=${H} T=S=${T} c_q=${cq} c_k=${ck} pad=${pad}`,
    tol: TOL.sums,
    run: (be) => {
      const { normal } = inputs(be, 70);
      const x = normal(shape), dout = normal(shape), kernel = normal([H, cq, ck]), dx = normal(shape), dkernel = normal([H, cq, ck]);
      const out = be.zeros(shape);
      be.mtaConv(x, kernel, out, mask(be), pad);
      be.mtaConvBackward(dout, x, kernel, dx, dkernel, mask(be), pad);
      return { out, dx, dkernel };
    },
  });
  const mix = (groupSize: number, layout: 'linear' | 'inOut'): ParityCase => ({
    family: 'mta',
    shape: `headMix B=${B} H=${H} T=S=${T} groupSize=${groupSize} ${layout}`,
    tol: TOL.sums,
    run: (be) => {
      const { normal } = inputs(be, 71);
      const wShape = groupSize === H && layout === 'linear' ? [H, H] : [H / groupSize, groupSize, groupSize];
      const x = normal(shape), dout = normal(shape), weight = normal(wShape), dx = normal(shape), dweight = normal(wShape);
      const out = be.zeros(shape);
      be.headMix(x, weight, out, { groupSize, layout });
      be.headMixBackward(dout, x, weight, dx, dweight, { groupSize, layout });
      return { out, dx, dweight };
    },
  });
  const pads: MtaPadKey[] = ['both', 'left', 'right'];
  return [...pads.map(conv), ...[8, 4].flatMap((g) => [mix(g, 'linear'), mix(g, 'inOut')])];
}

/**
 * The tiny preset on 1-digit addition, warmed up by SFT on the oracle until about half the completions carry a
 * non-zero advantage; both backends start GRPO from those weights with the same seed. β > 0, μ = 2 and two minibatches exercise the reference and old-policy scoring forwards and
 * several optimizer steps per iteration.
 */
const GRPO_RUN = {
  ...TINY_RUN,
  seed: 5,
  model: { preset: 'tiny', contextLength: 16 },
  sft: { steps: 80, batch: 16, lr: 3e-3 },
  grpo: { num_generations: 8, prompts_per_step: 8, max_completion_length: 4, beta: 0.04, num_iterations: 2, minibatches: 2 },
  eval: { n: 0, every: 1000 },
};

/** Per-iteration timings differ between backends by nature; every other metric must agree. */
const isTiming = (key: string) => key === 'step_time' || key.startsWith('time/');

async function grpoStepParity(gpu: Backend) {
  const t0 = performance.now();
  const run = parseRunConfig(GRPO_RUN);
  const oracle = new Experiment(createCpuBackend(), run);
  await oracle.warmStart();
  const start = await oracle.saveState();
  const onGpu = new Experiment(gpu, run);
  onGpu.loadState(start);
  const iterations = [];
  for (let it = 0; it < run.iterations; it++) {
    const want = await oracle.trainStep();
    const got = await onGpu.trainStep();
    iterations.push(compareIteration(got.rollouts, want.rollouts, got.metrics, want.metrics));
  }
  const [wantW, gotW] = [await readWeights(oracle.be, oracle.policy), await readWeights(gpu, onGpu.policy)];
  let squares = 0, count = 0, maxAbs = 0;
  const badParams: string[] = [];
  for (const [name, before] of start.policy) {
    const w = wantW.get(name)!, g = gotW.get(name)!;
    const du = Float32Array.from(g, (v, i) => v - before[i]), dw = Float32Array.from(w, (v, i) => v - before[i]);
    if (mismatches(du, dw, GRPO_TOL.update)) badParams.push(name);
    du.forEach((u, i) => {
      squares += (u - dw[i]) ** 2;
      maxAbs = Math.max(maxAbs, Math.abs(u - dw[i]));
    });
    count += du.length;
  }
  const rms = Math.sqrt(squares / count);
  const weights = { params: start.policy.size, values: count, maxAbsUpdateError: +maxAbs.toExponential(3), rmsUpdateError: +rms.toExponential(3), badParams };
  const pass = iterations.every((i) => i.pass) && badParams.length === 0 && rms < GRPO_TOL.updateRms;
  process.stderr.write(`gpuCheck ${pass ? 'ok  ' : 'FAIL'} grpo step (${Math.round(performance.now() - t0)} ms)\n`);
  return { run: GRPO_RUN, tol: GRPO_TOL, pass, iterations, weights, ms: Math.round(performance.now() - t0) };
}

function compareIteration(got: RolloutRecord[], want: RolloutRecord[], gotM: Record<string, number>, wantM: Record<string, number>) {
  const tokensDiffer = want.filter((w, i) => got[i]?.tokens.join() !== w.tokens.join()).length + Math.abs(got.length - want.length);
  const flat = (rs: RolloutRecord[], f: (r: RolloutRecord) => number[]) => rs.flatMap(f);
  const logprobs = compare(flat(got, (r) => r.logprobs), flat(want, (r) => r.logprobs), GRPO_TOL.logprobs);
  const advantages = compare(flat(got, (r) => [r.advantage]), flat(want, (r) => [r.advantage]), GRPO_TOL.advantages);
  const rewardsDiffer = want.filter((w, i) => got[i]?.reward !== w.reward).length;
  const keys = Object.keys(wantM).filter((k) => !isTiming(k));
  const badMetrics = keys.filter((k) => mismatches([gotM[k]], [wantM[k]], GRPO_TOL.scalars)).map((k) => ({ metric: k, webgpu: gotM[k], cpu: wantM[k] }));
  const pass = tokensDiffer === 0 && rewardsDiffer === 0 && logprobs.mismatches === 0 && advantages.mismatches === 0 && badMetrics.length === 0;
  const nonZeroAdvantages = want.filter((r) => r.advantage !== 0).length;
  return {
    pass,
    rollouts: want.length,
    tokensDiffer,
    rewardsDiffer,
    meanReward: +(want.reduce((a, r) => a + r.reward, 0) / want.length).toFixed(4),
    nonZeroAdvantages,
    logprobs,
    advantages,
    metricsCompared: keys.length,
    badMetrics,
    loss: { cpu: wantM.loss, webgpu: gotM.loss },
  };
}

void main();
