/**
 * ONNX export from the app, checked where it will be used: the exported policy runs in onnxruntime-web (wasm,
 * served from our own origin) on a sample sequence and its logits are compared with the engine's forward.
 */
import { Graph } from '../engine/autograd';
import type { Backend } from '../engine/backend';
import { exportOnnx, ONNX_INPUT, ONNX_OUTPUT } from '../model/onnx/exportOnnx';
import { BOS } from '../model/tokenizer';
import { inferenceActivation } from '../model/config';
import type { Transformer } from '../model/transformer';
import { createOrtSession, idsTensor } from './ortSession';

export interface VerifiedOnnx {
  onnx: Uint8Array;
  /** Largest |ONNX logit − engine logit| over the sample sequence. */
  maxAbsDiff: number;
  sampleLength: number;
}

/** Engine logits of one sequence at the activation the export bakes in (RELU for stochA and Swi+FT). */
async function engineLogits(be: Backend, model: Transformer, ids: number[]): Promise<Float32Array> {
  const g = new Graph(be, false);
  const activation = inferenceActivation(model.config);
  const { logits } = model.forward(g, g.input(ids, [1, ids.length], 'i32'), g.input(ids.map((_, t) => t), [1, ids.length], 'i32'), { activation });
  const out = (await be.read(logits)) as Float32Array;
  g.dispose();
  return out;
}

export async function exportVerifiedOnnx(be: Backend, model: Transformer): Promise<VerifiedOnnx> {
  const onnx = await exportOnnx(be, model);
  const V = model.config.vocabSize;
  const ids = [BOS, ...Array.from({ length: Math.min(8, model.config.contextLength) - 1 }, (_, t) => 3 + (t % (V - 3)))];
  const session = await createOrtSession(onnx);
  const out = await session.run({ [ONNX_INPUT]: idsTensor(ids) });
  const got = out[ONNX_OUTPUT].data as Float32Array;
  const want = await engineLogits(be, model, ids);
  let maxAbsDiff = 0;
  for (let i = 0; i < want.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(got[i] - want[i]));
  await session.release();
  return { onnx, maxAbsDiff, sampleLength: ids.length };
}
