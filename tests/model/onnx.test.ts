/** The ONNX export runs in onnxruntime-node and reproduces the engine's full-sequence logits. */
import { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import { describe, it } from 'vitest';
import { Graph } from '../../src/engine/autograd';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { defaultMta, presetConfig, type ModelConfig } from '../../src/model/config';
import { exportOnnx, ONNX_INPUT, ONNX_OUTPUT } from '../../src/model/onnx/exportOnnx';
import { Transformer } from '../../src/model/transformer';
import { assertClose } from '../harness/compare';

const V = 9;
const base = presetConfig('tiny', V, { nEmbd: 16, nLayer: 2, ffnHidden: 24, contextLength: 12 });

async function compare(config: ModelConfig, perturb = false) {
  const be = createCpuBackend();
  const model = Transformer.init(be, config, 8);
  if (perturb) {
    // Move MTA parameters away from their identity init so the exported convolutions and mixing matter.
    for (const p of model.params.values()) {
      if (!p.name.includes('.mta.')) continue;
      const data = (await be.read(p.value)) as Float32Array;
      be.write(p.value, data.map((v, i) => v + 0.3 * Math.sin(i + 1)));
    }
  }
  const ids = [[1, 4, 5, 6, 3, 7, 8], [1, 8, 7, 6, 5, 4, 3]];
  const B = ids.length, T = ids[0].length;
  const g = new Graph(be, false);
  const positions = ids.flatMap((row) => row.map((_, t) => t));
  const { logits } = model.forward(g, g.input(ids.flat(), [B, T], 'i32'), g.input(positions, [B, T], 'i32'));
  const want = await be.read(logits);
  const session = await InferenceSession.create(await exportOnnx(be, model), { executionProviders: ['cpu'] });
  const result = await session.run({ [ONNX_INPUT]: new OrtTensor('int64', BigInt64Array.from(ids.flat().map(BigInt)), [B, T]) });
  assertClose('onnx logits vs engine', result[ONNX_OUTPUT].data as Float32Array, want, { atol: 1e-4, rtol: 1e-3 });
}

describe('ONNX export', () => {
  it('matches the engine for a plain model (untied, mlp, silu)', () => compare(base));
  it('matches the engine for a gated, tied, gelu model', () => compare({ ...base, ffn: 'gated', tiedEmbeddings: true, activation: 'gelu' }));
  it('matches the engine with MTA (pre+post convolutions, head mixing, group norm, gate)', () =>
    compare(
      {
        ...base,
        mta: defaultMta({ preConv: { cq: 2, ck: 3 }, postConv: { cq: 2, ck: 3 }, headMixPre: true, headMixPost: 2, groupNorm: true, depthScale: true, gate: '1d' }),
      },
      true,
    ));
});
