/**
 * An ONNX judge loaded in the engine worker for the model_judge reward: the spec is parsed, the model's input and
 * output names are checked against the contract (docs/judges.md) and one probe run checks its vocabulary, so a
 * wrong file is refused with the reason when it is loaded and never half-way through a training step.
 */
import { ONNX_INPUT, ONNX_OUTPUT } from '../model/onnx/exportOnnx';
import { checkedJudge, parseJudgeSpec, type ModelJudge, type RunLogits } from '../rl/judges/modelJudge';
import { createOrtSession, idsTensor } from './ortSession';

/** What the page sends: the two files of a judge. */
export interface JudgeFiles {
  /** Shown in the UI and in rationales' context, e.g. the file name without extension. */
  name: string;
  onnx: Uint8Array;
  /** The JSON spec's text. */
  spec: string;
}

/** What the page is told about a loaded judge. */
export interface JudgeInfo {
  name: string;
  /** The longest sequence (judge text plus its reasoning) the model accepts, found by probing it. */
  maxSequence: number;
  description: string;
  alphabet: string;
  yes: string;
  no: string;
}

export interface LoadedJudge {
  info: JudgeInfo;
  judge: ModelJudge;
  release(): Promise<void>;
}

export async function loadOnnxJudge(files: JudgeFiles): Promise<LoadedJudge> {
  const fail = (why: string) => new Error(`judge "${files.name}": ${why}`);
  let spec;
  try {
    spec = parseJudgeSpec(files.spec);
  } catch (e) {
    throw fail((e as Error).message);
  }
  let session;
  try {
    session = await createOrtSession(files.onnx);
  } catch (e) {
    throw fail(`the .onnx file could not be loaded by onnxruntime-web (${(e as Error).message})`);
  }
  try {
    if (!session.inputNames.includes(ONNX_INPUT) || !session.outputNames.includes(ONNX_OUTPUT)) {
      throw new Error(
        `the model's inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}] do not follow the contract (input "${ONNX_INPUT}", output "${ONNX_OUTPUT}")`,
      );
    }
    const model = session;
    // A wasm session runs one inference at a time ("Session already started" otherwise), while the trainer
    // scores a group's rollouts concurrently: queue the runs.
    let queue: Promise<unknown> = Promise.resolve();
    const runOnce = (ids: number[]) => {
      const next = queue.then(() => model.run({ [ONNX_INPUT]: idsTensor(ids) }));
      queue = next.catch(() => undefined);
      return next;
    };
    const runLogits: RunLogits = async (ids) => {
      const logits = (await runOnce(ids))[ONNX_OUTPUT];
      if (logits.dims.length !== 3) throw new Error(`judge output "${ONNX_OUTPUT}" has shape [${logits.dims.join(', ')}], expected [1, seq, vocab]`);
      return { logits: logits.data as Float32Array, vocab: logits.dims[2] };
    };
    const judge = await checkedJudge(spec, runLogits);
    const info = { name: files.name, maxSequence: judge.maxSequence, description: spec.description ?? '', alphabet: spec.alphabet, yes: spec.yes, no: spec.no };
    return { info, judge, release: () => model.release() };
  } catch (e) {
    await session.release();
    throw fail((e as Error).message);
  }
}
