/**
 * onnxruntime-web sessions in the engine worker. The wasm files are bundled by Vite and served from our own
 * origin; threads would need cross-origin isolation, which this static app does not ask for.
 */
import * as ort from 'onnxruntime-web';

export async function createOrtSession(model: Uint8Array): Promise<ort.InferenceSession> {
  ort.env.wasm.numThreads = 1;
  return ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
}

/** int64 [1, seq] ids, the input every model of ours takes. */
export function idsTensor(ids: number[]): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]);
}
