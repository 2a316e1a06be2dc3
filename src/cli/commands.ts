/** The CLI commands of the policy model: init, logits, sft, generate. */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Graph } from '../engine/autograd';
import { Rng } from '../engine/rng';
import { ANSWER_LENGTH_PROBE_STREAM } from '../engine/streams';
import { configProblems } from '../model/config';
import { generate } from '../model/generate';
import { DEFAULT_SFT } from '../model/sft';
import { BOS, CharTokenizer } from '../model/tokenizer';
import { Transformer } from '../model/transformer';
import { evaluate, heldOutInstances } from '../rl/evaluate';
import { getTask } from '../rl/tasks/registry';
import { resolveDifficulty, type Task } from '../rl/tasks/types';
import { DemonstrationStream, warmStartTrainer } from '../rl/warmStart';
import { UsageError, type Flags } from './args';
import { backendFrom } from './backend';
import { readCheckpointDir, writeCheckpointDir } from './files';
import { modelConfigFrom } from './modelFlags';

const out = (obj: unknown) => process.stdout.write(`${JSON.stringify(obj)}\n`);

function taskFrom(flags: Flags): Task {
  try {
    return getTask(flags.string('task'));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function difficultyFrom(flags: Flags, task: Task): Record<string, number> {
  const raw = flags.string('difficulty', '{}');
  try {
    const given: unknown = JSON.parse(raw);
    if (typeof given !== 'object' || given === null || Array.isArray(given)) throw new Error(`must be a JSON object of difficulty settings, got ${raw}`);
    return resolveDifficulty(task, given as Record<string, number>);
  } catch (e) {
    throw new UsageError(`--difficulty: ${(e as Error).message}`);
  }
}

function checkedModel(flags: Flags, vocab: number) {
  const config = modelConfigFrom(flags, vocab);
  const problems = configProblems(config);
  if (problems.length) throw new UsageError(problems.join('; '));
  return config;
}

/** init --preset P --seed S (--task T | --alphabet A) [--act ...] [--mta ...] --out DIR */
export async function init(flags: Flags): Promise<void> {
  const alphabet = flags.optional('alphabet') ?? taskFrom(flags).alphabet;
  const tok = new CharTokenizer(alphabet);
  const config = checkedModel(flags, tok.vocabSize);
  const seed = flags.number('seed', 0, { int: true, min: 0 });
  const dir = flags.string('out');
  const be = await backendFrom(flags);
  flags.assertAllUsed();
  const model = Transformer.init(be, config, seed);
  await writeCheckpointDir(be, dir, model, tok);
  out({ out: dir, parameters: [...model.params.values()].reduce((n, p) => n + p.value.numel, 0), config });
}

/** logits --checkpoint DIR --text "..." [--backend cpu|wasm|webgpu] → {tokens, logits[T][V]} */
export async function logits(flags: Flags): Promise<void> {
  const be = await backendFrom(flags);
  const { model, tokenizer } = await readCheckpointDir(be, flags.string('checkpoint'));
  const text = flags.string('text');
  flags.assertAllUsed();
  let ids: number[];
  try {
    ids = [BOS, ...tokenizer.encode(text)];
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const g = new Graph(be, false);
  const T = ids.length;
  const res = model.forward(g, g.input(ids, [1, T], 'i32'), g.input(ids.map((_, t) => t), [1, T], 'i32'));
  const data = await be.read(res.logits);
  const V = model.config.vocabSize;
  out({ tokens: ids.map((id) => tokenizer.tokenText(id)), logits: Array.from({ length: T }, (_, t) => Array.from(data.subarray(t * V, (t + 1) * V))) });
}

/** sft --task T --steps N --out DIR [--preset --seed --batch --lr --backend --eval N] → JSONL metrics (the run's warm-start) */
export async function sft(flags: Flags): Promise<void> {
  const task = taskFrom(flags);
  const difficulty = difficultyFrom(flags, task);
  const tok = new CharTokenizer(task.alphabet);
  const config = checkedModel(flags, tok.vocabSize);
  const steps = flags.number('steps', undefined, { int: true, min: 1 });
  const batch = flags.number('batch', 16, { int: true, min: 1 });
  const seed = flags.number('seed', 0, { int: true, min: 0 });
  const lr = flags.number('lr', DEFAULT_SFT.lr, { min: 0 });
  const evalN = flags.number('eval', 64, { int: true, min: 0 });
  const dir = flags.string('out');
  const be = await backendFrom(flags);
  flags.assertAllUsed();
  await mkdir(dir, { recursive: true });
  const metricsPath = join(dir, 'metrics.jsonl');
  await writeFile(metricsPath, '');
  const log = async (obj: object) => {
    out(obj);
    await appendFile(metricsPath, `${JSON.stringify(obj)}\n`);
  };
  // The experiment's warm-start procedure (demonstrations, trainer settings), so the seed gives the same model.
  const model = Transformer.init(be, config, seed);
  const trainer = warmStartTrainer(be, model, tok, { steps, lr });
  const demonstrations = new DemonstrationStream(task, difficulty, seed, batch);
  for (let s = 0; s < steps; s++) await log(await trainer.step(demonstrations.next()));
  if (evalN > 0) {
    const result = await evaluate(be, model, tok, task, heldOutInstances(task, difficulty, evalN, seed), {
      maxNewTokens: maxAnswerLength(task, difficulty) + 1,
    });
    await log({ step: steps, eval_accuracy: result.accuracy, eval_n: evalN });
  }
  await writeCheckpointDir(be, dir, model, tok);
}

/** Longest demonstration over a sample of instances: the decoding budget of an evaluation. */
function maxAnswerLength(task: Task, difficulty: Record<string, number>): number {
  const rng = new Rng(1, ANSWER_LENGTH_PROBE_STREAM);
  let n = 1;
  for (let i = 0; i < 64; i++) n = Math.max(n, [...task.generate(rng, difficulty).demonstration].length);
  return n;
}

/** generate --checkpoint DIR --prompt "..." -n G [--temperature --top-k --top-p --max-new --seed --greedy yes] */
export async function gen(flags: Flags): Promise<void> {
  const be = await backendFrom(flags);
  const { model, tokenizer } = await readCheckpointDir(be, flags.string('checkpoint'));
  const prompt = flags.string('prompt');
  const n = flags.number('n', 4, { int: true, min: 1, max: 1024 });
  const opts = {
    temperature: flags.number('temperature', 1, { min: 1e-4 }),
    topK: flags.number('top-k', 0, { int: true, min: 0 }),
    topP: flags.number('top-p', 1, { min: 1e-6, max: 1 }),
    greedy: flags.choice('greedy', ['yes', 'no'] as const, 'no') === 'yes',
    maxNewTokens: flags.number('max-new', 16, { int: true, min: 1 }),
    seed: flags.number('seed', 0, { int: true, min: 0 }),
  };
  flags.assertAllUsed();
  let ids: number[];
  try {
    ids = [BOS, ...tokenizer.encode(prompt)];
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const rollouts = await generate(be, model, Array.from({ length: n }, () => ids), opts);
  for (const r of rollouts) {
    out({ completion: tokenizer.decode(r.tokens), tokens: r.tokens.map((t) => tokenizer.tokenText(t)), logprobs: r.logprobs, entropies: r.entropies, truncated: r.truncated });
  }
}
