/** Headless RL commands: train (SFT warm-start + the run's algorithm), eval, export-trl, export-onnx. */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { exportOnnx } from '../model/onnx/exportOnnx';
import { Experiment, heldOutMetrics } from '../rl/experiment';
import { trlScript } from '../rl/exportTrl';
import { savedJ1Judge } from '../rl/judgeTraining/j1Judge';
import { J1_JUDGE_MODEL } from '../rl/judgeTraining/j1Trainer';
import { getPreset, type Preset } from '../rl/presets/catalog';
import type { Curves } from '../rl/presets/claims';
import { iterationPoint, mainOnlyChecks, recordPoint } from '../rl/presets/harness';
import { guardRun, limitsOf, probeFlops } from '../rl/resourceGuard';
import { needsLoadedJudge, parseRunConfig, type RunConfig } from '../rl/runConfig';
import { UsageError, type Flags } from './args';
import { backendFrom } from './backend';
import { readCheckpointDir, readTextFile, writeCheckpointDir } from './files';
import { loadJudge } from './judge';
import { datasetFrom } from './selfInstruct';

/** `--preset ID [--seed N]` or `--config FILE`. */
async function trainRunFrom(flags: Flags): Promise<{ run: RunConfig; preset: Preset | null }> {
  const id = flags.optional('preset');
  if (id === undefined) return { run: await runFrom(flags), preset: null };
  let preset: Preset;
  try {
    preset = getPreset(id);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const seed = flags.number('seed', 1, { int: true, min: 0 });
  return { run: parseRunConfig({ ...preset.config, seed }), preset };
}

export async function runFrom(flags: Flags): Promise<RunConfig> {
  const path = flags.string('config');
  const text = await readTextFile(path);
  try {
    return parseRunConfig(text);
  } catch (e) {
    throw new UsageError(`${path}: ${(e as Error).message.replace(/\n/g, ' ')}`);
  }
}

/**
 * train (--config run.json | --preset ID [--seed N]) --out DIR [--backend] [--judge public/models/reversal-judge]
 *   [--start-slow yes] [--dataset set.json (a saved self-instruct set: the algorithm trains on its prompts)] → DIR/{metrics.jsonl, rollouts.jsonl, config.json, model.safetensors, run.json}. The config's
 *   `algorithm` picks the trainer ("grpo", GSPO being grpo with importance_sampling_level "sequence", "dpo" with
 *   its `dpo` section, …); each iteration's metrics line has phase = the algorithm. With a
 *   preset, a last line {phase: 'claim'} evaluates the checks of its claim that need no other variant
 *   (`npm run presets` runs them all).
 * The resource guard runs first: a run that cannot fit is refused, one that would be slow needs --start-slow yes.
 */
export async function train(flags: Flags): Promise<void> {
  const { run, preset } = await trainRunFrom(flags);
  const dir = flags.string('out');
  const judgePath = flags.optional('judge');
  const startSlow = flags.optional('start-slow') === 'yes';
  const dataset = await datasetFrom(flags, run);
  const be = await backendFrom(flags);
  flags.assertAllUsed();
  // Half the machine's memory, as the app allows half of the browser's.
  const verdict = guardRun(run, limitsOf(be, totalmem() / 2), await probeFlops(be));
  if (verdict.refusal) throw new UsageError(verdict.refusal);
  if (verdict.slow && !startSlow) throw new UsageError(`${verdict.slow} Pass --start-slow yes to start anyway.`);
  const judge = judgePath === undefined ? undefined : await loadJudge(judgePath);
  if (needsLoadedJudge(run) && !judge) throw new UsageError('rewards.weights.model_judge is set: pass --judge PATH');
  await mkdir(dir, { recursive: true });
  const metricsPath = join(dir, 'metrics.jsonl'), rolloutsPath = join(dir, 'rollouts.jsonl');
  await writeFile(metricsPath, '');
  await writeFile(rolloutsPath, '');
  await writeFile(join(dir, 'run.json'), JSON.stringify(run, null, 2));
  const log = async (obj: object) => {
    process.stdout.write(`${JSON.stringify(obj)}\n`);
    await appendFile(metricsPath, `${JSON.stringify(obj)}\n`);
  };
  const exp = new Experiment(be, run, undefined, judge, dataset);
  await exp.warmStart((m) => log({ phase: 'sft', ...m }));
  const curves: Curves = {};
  const before = heldOutMetrics(await exp.evaluate());
  recordPoint(curves, 0, before);
  await log({ phase: 'eval', step: 0, ...before });
  for (let i = 1; i <= run.iterations; i++) {
    const r = await exp.trainStep();
    recordPoint(curves, i, iterationPoint(r.metrics, r.rollouts));
    await log({ phase: run.algorithm, ...r.metrics });
    await appendFile(rolloutsPath, r.rollouts.map((x) => JSON.stringify(x)).join('\n') + '\n');
  }
  await writeCheckpointDir(be, dir, exp.policy, exp.tokenizer);
  // A judge trained in the run is written beside the policy (export it with `export-onnx --checkpoint DIR/judge`).
  const judgeWeights = (await exp.saveState()).trainer?.models?.[J1_JUDGE_MODEL];
  if (judgeWeights) {
    const trained = savedJ1Judge(be, exp.task.alphabet, run.j1, judgeWeights);
    await writeCheckpointDir(be, join(dir, 'judge'), trained.model, trained.tokenizer);
  }
  if (preset) {
    const checks = mainOnlyChecks(preset, curves).map((c) => ({ claim: c.text, start: c.a, end: c.b, pass: c.pass }));
    await log({ phase: 'claim', preset: preset.id, seed: run.seed, checks });
  }
}

/** eval --checkpoint DIR --config run.json [--backend] → {accuracy, pass@k, think/… for split tasks} on the run's held-out set */
export async function evalCommand(flags: Flags): Promise<void> {
  const run = await runFrom(flags);
  const be = await backendFrom(flags);
  const { model } = await readCheckpointDir(be, flags.string('checkpoint'));
  flags.assertAllUsed();
  const ev = await new Experiment(be, run, model).evaluate();
  process.stdout.write(`${JSON.stringify({ accuracy: ev.accuracy, [`pass@${ev.k}`]: ev.pass_at_k, ...ev.task, n: run.eval.n })}\n`);
}

/** export-trl --config run.json --out FILE.py: an equivalent TRL GRPOConfig script with reward stubs */
export async function exportTrl(flags: Flags): Promise<void> {
  const run = await runFrom(flags);
  const out = flags.string('out');
  flags.assertAllUsed();
  let script: string;
  try {
    script = trlScript(run);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  await writeFile(out, script);
  process.stdout.write(`${JSON.stringify({ out })}\n`);
}

/** export-onnx --checkpoint DIR --out FILE.onnx [--act relu|silu|gelu] */
export async function exportOnnxCommand(flags: Flags): Promise<void> {
  const be = await backendFrom(flags);
  const { model } = await readCheckpointDir(be, flags.string('checkpoint'));
  const act = flags.optional('act');
  const activation = act === undefined ? undefined : flags.choice('act', ['relu', 'silu', 'gelu'] as const);
  const out = flags.string('out');
  flags.assertAllUsed();
  const bytes = await exportOnnx(be, model, { activation });
  await writeFile(out, bytes);
  process.stdout.write(`${JSON.stringify({ out, bytes: bytes.length })}\n`);
}
