/**
 * self-instruct --config run.json --out set.json [--backend]: warm-start, then the run's self-instruct iterations,
 * printing each iteration's metrics; the kept set is written as a file `train --config … --dataset set.json` reads.
 */
import { writeFile } from 'node:fs/promises';
import { Experiment } from '../rl/experiment';
import type { RunConfig } from '../rl/runConfig';
import { keptSetJson, keptSetTask, parseKeptSet } from '../rl/selfInstruct/keptSet';
import { SelfInstructTrainer } from '../rl/selfInstruct/trainer';
import type { Task } from '../rl/tasks/types';
import { UsageError, type Flags } from './args';
import { backendFrom } from './backend';
import { readTextFile } from './files';
import { runFrom } from './trainCommands';

export async function selfInstructCommand(flags: Flags): Promise<void> {
  const run = await runFrom(flags);
  const out = flags.string('out');
  const be = await backendFrom(flags);
  flags.assertAllUsed();
  if (run.algorithm !== 'self-instruct') throw new UsageError(`the config's algorithm is ${run.algorithm}: self-instruct needs "algorithm": "self-instruct"`);
  const exp = new Experiment(be, run);
  await exp.warmStart();
  const trainer = new SelfInstructTrainer(be, exp.policy, exp.tokenizer, exp.task, run);
  for (let i = 0; i < run.iterations; i++) {
    const { metrics } = await trainer.step();
    process.stdout.write(`${JSON.stringify({ phase: 'self-instruct', ...metrics })}\n`);
  }
  const set = trainer.keptSet();
  if (!set.instances.length) throw new UsageError(`no proposal was kept in ${run.iterations} iterations: nothing to write to ${out}`);
  await writeFile(out, keptSetJson(set));
  process.stdout.write(`${JSON.stringify({ out, kept: set.instances.length })}\n`);
}

/** The training task of `train --dataset FILE`: a saved kept set of the run's task. */
export async function datasetFrom(flags: Flags, run: RunConfig): Promise<Task | undefined> {
  const path = flags.optional('dataset');
  if (path === undefined) return undefined;
  const text = await readTextFile(path);
  try {
    return keptSetTask(parseKeptSet(text), run.task);
  } catch (e) {
    throw new UsageError(`${path}: ${(e as Error).message.replace(/\n/g, ' ')}`);
  }
}
