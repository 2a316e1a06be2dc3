/**
 * The preset harness: `npm run -s presets -- [--check] [--seeds 1,2,3] [--backend cpu|wasm|webgpu] [--only id,id]
 * [--ci] [--iterations N] [--sweep JSON] [--out FILE] [--docs]`.
 * Runs every preset (or those named) headless with its exact config and each variant its claim compares against,
 * evaluates the claim per seed, and prints one JSON table: per preset and seed the checks with their start and
 * end values, pass/fail, and the wall time per iteration on the backend used. Progress goes to stderr.
 *   --check       exit 1 unless every claim holds on every seed
 *   --ci          only the presets marked `ci` (claims that hold within few iterations)
 *   --sweep JSON  find settings: {"grpo.learning_rate":[1e-4,1e-3],"sft.steps":[60,150]} runs every combination
 *                 (dotted paths into the parsed config) and reports each; never writes docs
 *   --docs        write docs/presets.md with the measured curves as SVG plots (docs/presets/*.svg)
 *   --save FILE   also write the full results, curves included, as JSON
 *   --docs-from F,G  write docs/presets.md from results saved by earlier runs (--save), running nothing
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Backend } from '../src/engine/backend';
import { createCpuBackend } from '../src/engine/backend/cpu';
import { createWasmBackend } from '../src/engine/backend/wasm';
import { createNodeWebGpuBackend } from '../src/node/gpu';
import { loadJudge } from '../src/cli/judge';
import { PRESETS, getPreset, type Preset } from '../src/rl/presets/catalog';
import { runPreset, type PresetSeedResult } from '../src/rl/presets/harness';
import type { RunConfig } from '../src/rl/runConfig';
import { writePresetDocs } from './presetsDoc';

const SHIPPED_JUDGE = 'public/models/reversal-judge';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    check: { type: 'boolean', default: false },
    ci: { type: 'boolean', default: false },
    docs: { type: 'boolean', default: false },
    seeds: { type: 'string', default: '1' },
    backend: { type: 'string', default: 'wasm' },
    only: { type: 'string' },
    iterations: { type: 'string' },
    sweep: { type: 'string' },
    out: { type: 'string' },
    save: { type: 'string' },
    'docs-from': { type: 'string' },
  },
});

function fail(message: string): never {
  process.stderr.write(`presets: ${message}\n`);
  process.exit(2);
}

function backendFactory(name: string): () => Promise<Backend> {
  if (name === 'cpu') return async () => createCpuBackend();
  if (name === 'wasm') return () => createWasmBackend();
  if (name === 'webgpu') return () => createNodeWebGpuBackend();
  fail(`--backend must be cpu, wasm or webgpu, got "${name}"`);
}

function positiveInts(flag: string, text: string): number[] {
  const xs = text.split(',').map(Number);
  if (!xs.length || xs.some((x) => !Number.isInteger(x) || x < 0)) fail(`--${flag} must be comma-separated non-negative integers, got "${text}"`);
  return xs;
}

/** Every combination of a sweep's values: {"a.b":[1,2],"c":[3]} → [{"a.b":1,"c":3},{"a.b":2,"c":3}]. */
function combinations(sweep: Record<string, unknown[]>): Record<string, unknown>[] {
  return Object.entries(sweep).reduce<Record<string, unknown>[]>(
    (acc, [path, options]) => acc.flatMap((combo) => options.map((v) => ({ ...combo, [path]: v }))),
    [{}],
  );
}

function withSettings(run: RunConfig, settings: Record<string, unknown>): RunConfig {
  const copy = structuredClone(run) as unknown as Record<string, unknown>;
  for (const [path, value] of Object.entries(settings)) {
    const keys = path.split('.');
    let node = copy;
    for (const k of keys.slice(0, -1)) {
      if (typeof node[k] !== 'object' || node[k] === null) fail(`--sweep: "${path}" is not a path into the run config`);
      node = node[k] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]] = value;
  }
  return copy as unknown as RunConfig;
}

function parseSweep(text: string | undefined): Record<string, unknown>[] {
  if (text === undefined) return [{}];
  let sweep: unknown;
  try {
    sweep = JSON.parse(text);
  } catch (e) {
    fail(`--sweep is not valid JSON (${(e as Error).message})`);
  }
  if (typeof sweep !== 'object' || sweep === null || Object.values(sweep).some((v) => !Array.isArray(v) || !v.length)) {
    fail('--sweep must map dotted config paths to non-empty arrays of values');
  }
  return combinations(sweep as Record<string, unknown[]>);
}

function row(result: PresetSeedResult, settings: Record<string, unknown>) {
  const main = result.runs.main.timing;
  return {
    preset: result.preset,
    seed: result.seed,
    ...(Object.keys(settings).length ? { settings } : {}),
    pass: result.pass,
    checks: result.checks.map((c) => ({ claim: c.text, start: round(c.a), end: round(c.b), delta: round(c.delta), pass: c.pass })),
    secondsPerIteration: round(main.secondsPerIteration),
    warmStartSeconds: round(main.warmStartSeconds),
    totalSeconds: round(Object.values(result.runs).reduce((a, r) => a + r.timing.totalSeconds, 0)),
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Docs from saved runs: each file holds {backend, results} as written by --save. */
async function docsFrom(files: string[]): Promise<void> {
  const saved = await Promise.all(files.map(async (f) => JSON.parse(await readFile(f, 'utf8')) as { backend: string; results: PresetSeedResult[] }));
  const backends = [...new Set(saved.map((s) => s.backend))];
  const results = saved.flatMap((s) => s.results);
  await writePresetDocs(PRESETS.filter((p) => results.some((r) => r.preset === p.id)), results, backends.join(', '));
}

async function main(): Promise<void> {
  if (values['docs-from']) return docsFrom(values['docs-from'].split(','));
  const seeds = positiveInts('seeds', values.seeds);
  const backend = backendFactory(values.backend);
  const iterations = values.iterations === undefined ? undefined : positiveInts('iterations', values.iterations)[0];
  let presets: Preset[] = values.only ? values.only.split(',').map((id) => getPreset(id)) : [...PRESETS];
  if (values.ci) presets = presets.filter((p) => p.ci);
  const sweeps = parseSweep(values.sweep);
  const results: PresetSeedResult[] = [];
  const rows = [];
  for (const preset of presets) {
    for (const settings of sweeps) {
      for (const seed of seeds) {
        const t0 = performance.now();
        const result = await runPreset(preset, seed, {
          backend,
          judge: async (p) => (p.judge === 'shipped-reversal' ? loadJudge(SHIPPED_JUDGE) : undefined),
          adjust: (run) => {
            const adjusted = withSettings(run, settings);
            return iterations === undefined ? adjusted : { ...adjusted, iterations };
          },
          onProgress: (variant, i, total) => process.stderr.write(`\r${preset.id} seed ${seed} ${variant}: ${i}/${total}   `),
        });
        const r = row(result, settings);
        process.stderr.write(`\r${JSON.stringify(r)} (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
        results.push(result);
        rows.push(r);
      }
    }
  }
  const table = { backend: values.backend, seeds, results: rows, pass: rows.every((r) => r.pass) };
  const text = JSON.stringify(table, null, 2);
  process.stdout.write(`${text}\n`);
  if (values.out) await writeFile(values.out, text);
  if (values.save) await writeFile(values.save, JSON.stringify({ backend: values.backend, results }));
  if (values.docs && !values.sweep) await writePresetDocs(presets, results, values.backend);
  if (values.check && !table.pass) process.exit(1);
}

main().catch((e) => fail((e as Error).message));
