/**
 * A J1 judge trained here, exported as ONNX and loaded back with onnxruntime-node: greedy decoding through the
 * exported logits (logitsTextJudge) writes the same outputs, hence the same verdicts and the same pivot rewards,
 * as the engine's own greedy decoding (modelTextJudge), on every prompt of both orders of every pair.
 */
import { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../../../src/engine/backend/wasm';
import { exportOnnx, ONNX_INPUT, ONNX_OUTPUT } from '../../../src/model/onnx/exportOnnx';
import { bothOrders, j1Task, parseJ1Verdict, type JudgePair } from '../../../src/rl/judgeTraining/j1';
import { createJudgeModel, judgeSeed, warmUpJudge } from '../../../src/rl/judgeTraining/judgeModel';
import { pivotRewardJudge } from '../../../src/rl/judgeTraining/onPolicy';
import { logitsTextJudge, modelTextJudge } from '../../../src/rl/judgeTraining/textJudge';

const pairs: JudgePair[] = Array.from({ length: 10 }, (_, i) => {
  const x = i % 5, y = (i * 3) % 5, gold = String(x + y), wrong = String(x + y + 1 + (i % 2));
  return { id: i, problem: `${x}+${y}=`, gold, a: i % 2 ? gold : wrong, b: i % 2 ? wrong : gold, correct: i % 2 ? 'A' : 'B' };
});

describe('J1 judge ONNX round trip', () => {
  it('gives the same outputs and verdicts before and after export', async () => {
    const be = await createWasmBackend();
    const instances = pairs.flatMap(bothOrders);
    const task = j1Task('0123456789+=', instances);
    const judge = createJudgeModel(be, task, { preset: 'tiny', contextLength: 24 }, judgeSeed(5));
    await warmUpJudge(be, judge, task, { steps: 60, batch: 16, lr: 3e-3 }, judgeSeed(5));

    const session = await InferenceSession.create(await exportOnnx(be, judge.model), { executionProviders: ['cpu'] });
    const run = async (ids: number[]) => {
      const out = await session.run({ [ONNX_INPUT]: new OrtTensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]) });
      return { logits: out[ONNX_OUTPUT].data as Float32Array, vocab: out[ONNX_OUTPUT].dims[2] };
    };
    const engine = modelTextJudge(be, judge.model, judge.tokenizer, 8);
    const exported = logitsTextJudge(run, judge.tokenizer, 8, judge.model.config.contextLength);

    const before = await Promise.all(instances.map((i) => engine(i.prompt)));
    const after = await Promise.all(instances.map((i) => exported(i.prompt)));
    expect(after).toEqual(before);
    // The warm-up reached readable verdicts, so the comparison is about verdicts, not about empty outputs.
    expect(before.filter((o) => parseJ1Verdict(o).letter !== null).length).toBeGreaterThan(instances.length / 2);

    const pivots = new Map(pairs.map((p) => [p.problem, p.b]));
    const [rewardBefore, rewardAfter] = [pivotRewardJudge(engine, pivots), pivotRewardJudge(exported, pivots)];
    for (const p of pairs) expect((await rewardAfter(p.problem, p.a)).score).toBe((await rewardBefore(p.problem, p.a)).score);
  }, 60_000);
});
