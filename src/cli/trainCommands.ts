/** Headless RL commands: train (SFT warm-start + GRPO), eval, export-trl, export-onnx. */
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { exportOnnx } from '../model/onnx/exportOnnx';
import { Experiment } from '../rl/experiment';
import { trlScript } from '../rl/exportTrl';
import { guardRun, limitsOf, probeFlops } from '../rl/resourceGuard';
import { parseRunConfig, type RunConfig } from '../rl/runConfig';
import { UsageError, type Flags } from './args';
import { backendFrom } from './backend';
import { readCheckpointDir, writeCheckpointDir } from './files';
import { loadJudge } from './judge';

async function runFrom(flags: Flags): Promise<RunConfig> {
  const path = flags.string('config');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return parseRunConfig(text);
  } catch (e) {
    throw new UsageError(`${path}: ${(e as Error).message.replace(/\n/g, ' ')}`);
  }
}

/**
 * train --config run.json --out DIR [--backend] [--judge public/models/reversal-judge] [--start-slow yes]
 *   → DIR/{metrics.jsonl, rollouts.jsonl, config.json, model.safetensors, run.json}
 * The resource guard runs first: a run that cannot fit is refused, one that would be slow needs --start-slow yes.
 */
export async function train(flags: Flags): Promise<void> {
  const run = await runFrom(flags);
  const dir = flags.string('out');
  const judgePath = flags.optional('judge');
  const startSlow = flags.optional('start-slow') === 'yes';
  const be = await backendFrom(flags);
  flags.assertAllUsed();
  // Half the machine's memory, as the app allows half of the browser's.
  const verdict = guardRun(run, limitsOf(be, totalmem() / 2), await probeFlops(be));
  if (verdict.refusal) throw new UsageError(verdict.refusal);
  if (verdict.slow && !startSlow) throw new UsageError(`${verdict.slow} Pass --start-slow yes to start anyway.`);
  const judge = judgePath === undefined ? undefined : await loadJudge(judgePath);
  if (run.rewards.weights.model_judge && !judge) throw new UsageError('rewards.weights.model_judge is set: pass --judge PATH');
  await mkdir(dir, { recursive: true });
  const metricsPath = join(dir, 'metrics.jsonl'), rolloutsPath = join(dir, 'rollouts.jsonl');
  await writeFile(metricsPath, '');
  await writeFile(rolloutsPath, '');
  await writeFile(join(dir, 'run.json'), JSON.stringify(run, null, 2));
  const log = async (obj: object) => {
    process.stdout.write(`${JSON.stringify(obj)}\n`);
    await appendFile(metricsPath, `${JSON.stringify(obj)}\n`);
  };
  const exp = new Experiment(be, run, undefined, judge);
  await exp.warmStart((m) => log({ phase: 'sft', ...m }));
  const before = await exp.evaluate();
  await log({ phase: 'eval', step: 0, accuracy: before.accuracy, [`pass@${before.k}`]: before.pass_at_k });
  for (let i = 0; i < run.iterations; i++) {
    const r = await exp.grpoStep();
    await log({ phase: 'grpo', ...r.metrics });
    await appendFile(rolloutsPath, r.rollouts.map((x) => JSON.stringify(x)).join('\n') + '\n');
  }
  await writeCheckpointDir(be, dir, exp.policy, exp.tokenizer);
}

/** eval --checkpoint DIR --config run.json [--backend] → {accuracy, pass@k} on the run's held-out set */
export async function evalCommand(flags: Flags): Promise<void> {
  const run = await runFrom(flags);
  const be = await backendFrom(flags);
  const { model } = await readCheckpointDir(be, flags.string('checkpoint'));
  flags.assertAllUsed();
  const ev = await new Experiment(be, run, model).evaluate();
  process.stdout.write(`${JSON.stringify({ accuracy: ev.accuracy, [`pass@${ev.k}`]: ev.pass_at_k, n: run.eval.n })}\n`);
}

/** export-trl --config run.json --out FILE.py: an equivalent TRL GRPOConfig script with reward stubs */
export async function exportTrl(flags: Flags): Promise<void> {
  const run = await runFrom(flags);
  const out = flags.string('out');
  flags.assertAllUsed();
  await writeFile(out, trlScript(run));
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
