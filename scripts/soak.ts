/**
 * Soak: `npm run -s soak -- [--iterations 1000] [--backend cpu|webgpu] [--every 50] [--curves on|off] [--out FILE]`
 * trains the tiny preset for many GRPO iterations and prints one JSON object: the samples over time (live tensors,
 * WebGPU pool bytes / live buffers / pipelines, JS heap, durable-record size) and each series' spread after
 * warm-up. `--curves off` drops the per-iteration metrics the page would keep, to see the heap without them.
 * Not a timed test: run it by hand (CI runs a 200-iteration version in tests/soak.test.ts).
 */
import { writeFile } from 'node:fs/promises';
import type { Backend } from '../src/engine/backend';
import { createCpuBackend } from '../src/engine/backend/cpu';
import { createNodeWebGpuBackend } from '../src/node/gpu';
import { parseRunConfig } from '../src/rl/runConfig';
import { soak, summarize } from './soakRun';

/** The tiny preset on 1-digit addition, small batches so 1000 iterations fit in a session on a laptop CPU. */
const SOAK_RUN = {
  task: 'addition',
  difficulty: { digits: 1 },
  seed: 1,
  model: { preset: 'tiny', contextLength: 16 },
  sft: { steps: 20, batch: 16 },
  grpo: { num_generations: 4, prompts_per_step: 4, max_completion_length: 3, beta: 0.04 },
  eval: { n: 8, every: 50 },
};

function flag(argv: string[], name: string, fallback: string): string {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = argv[i + 1];
  if (v === undefined) throw new Error(`--${name} needs a value`);
  return v;
}

async function main(argv: string[]): Promise<void> {
  const iterations = Number(flag(argv, 'iterations', '1000'));
  const every = Number(flag(argv, 'every', '50'));
  const backendName = flag(argv, 'backend', 'cpu');
  const curves = flag(argv, 'curves', 'on');
  if (curves !== 'on' && curves !== 'off') throw new Error(`--curves must be on or off, got ${curves}`);
  const out = argv.includes('--out') ? flag(argv, 'out', '') : null;
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error(`--iterations must be a positive integer, got ${iterations}`);
  if (!Number.isInteger(every) || every < 1) throw new Error(`--every must be a positive integer, got ${every}`);
  if (backendName !== 'cpu' && backendName !== 'webgpu') throw new Error(`--backend must be cpu or webgpu, got ${backendName}`);
  const backend: Backend = backendName === 'cpu' ? createCpuBackend() : await createNodeWebGpuBackend();
  const run = parseRunConfig({ ...SOAK_RUN, iterations });
  const samples = await soak({ run, backend, iterations, every, keepCurves: curves === 'on', onSample: (s) => process.stderr.write(`${JSON.stringify(s)}\n`) });
  const report = { backend: backendName, iterations, every, curves, run, summary: summarize(samples), samples };
  const text = JSON.stringify(report, null, 2);
  process.stdout.write(`${text}\n`);
  if (out) await writeFile(out, text);
  backend.dispose();
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`soak: ${(e as Error).message}\n`);
  process.exit(1);
});
