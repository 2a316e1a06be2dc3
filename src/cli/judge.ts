/** Loads an ONNX judge (FILE.onnx + FILE.json spec) with onnxruntime-node for the model_judge reward. */
import { readFile } from 'node:fs/promises';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { checkedJudge, parseJudgeSpec, type RunLogits } from '../rl/judges/modelJudge';
import type { AsyncJudge } from '../rl/rewards';
import { UsageError } from './args';

export async function ortRunner(onnxPath: string): Promise<RunLogits> {
  const session = await InferenceSession.create(onnxPath, { executionProviders: ['cpu'] });
  return async (ids) => {
    const out = await session.run({ input_ids: new Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]) });
    const logits = out.logits;
    if (!logits) throw new Error(`${onnxPath}: the model has no "logits" output`);
    return { logits: logits.data as Float32Array, vocab: logits.dims[2] };
  };
}

/** `--judge PATH` names PATH.onnx and PATH.json (e.g. public/models/reversal-judge). */
export async function loadJudge(path: string): Promise<AsyncJudge> {
  try {
    const spec = parseJudgeSpec(await readFile(`${path}.json`, 'utf8'));
    const judge = await checkedJudge(spec, await ortRunner(`${path}.onnx`));
    return (prompt, completion) => judge.score(prompt, completion);
  } catch (e) {
    throw new UsageError(`--judge ${path}: ${(e as Error).message}`);
  }
}
