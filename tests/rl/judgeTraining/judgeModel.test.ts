/** The judge model's building blocks: seeded init, SFT warm-up, one GRPO iteration on given prompts, exact resume. */
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../../../src/engine/backend/wasm';
import { DEFAULT_GRPO } from '../../../src/rl/grpo/config';
import { bothOrders, j1Task, type JudgePair } from '../../../src/rl/judgeTraining/j1';
import { createJudgeModel, judgeGrpoConfig, JudgeGrpo, judgeSeed, warmUpJudge } from '../../../src/rl/judgeTraining/judgeModel';
import { readWeights } from '../../../src/model/weights';

const pairs: JudgePair[] = Array.from({ length: 12 }, (_, i) => {
  const x = i % 4, y = (i * 3) % 5;
  const gold = String(x + y);
  return { id: i, problem: `${x}+${y}=`, gold, a: i % 2 ? gold : String(x + y + 1), b: i % 2 ? String(x + y + 1) : gold, correct: i % 2 ? 'A' : 'B' };
});
const instances = pairs.flatMap(bothOrders);
const task = j1Task('0123456789+=', instances);
const settings = { preset: 'tiny' as const, contextLength: 24 };
const grpoCfg = judgeGrpoConfig(DEFAULT_GRPO, { prompts: 4, generations: 4, maxOutput: 8, learningRate: 3e-3 });

function same(a: Map<string, Float32Array>, b: Map<string, Float32Array>): boolean {
  return [...a].every(([k, v]) => v.every((x, i) => x === b.get(k)![i]));
}

describe('judge model', () => {
  it('initialises from its seed, over the judge task alphabet, and the seed differs from the run seed', async () => {
    const be = await createWasmBackend();
    const one = createJudgeModel(be, task, settings, judgeSeed(1));
    const two = createJudgeModel(be, task, settings, judgeSeed(1));
    const other = createJudgeModel(be, task, settings, judgeSeed(2));
    expect(one.tokenizer.alphabet).toBe(task.alphabet);
    expect(one.model.config.vocabSize).toBe(3 + task.alphabet.length);
    expect(judgeSeed(1)).not.toBe(1);
    expect(same(await readWeights(be, one.model), await readWeights(be, two.model))).toBe(true);
    expect(same(await readWeights(be, one.model), await readWeights(be, other.model))).toBe(false);
  });

  it('SFT warm-up lowers the loss on the demonstrations', async () => {
    const be = await createWasmBackend();
    const judge = createJudgeModel(be, task, settings, judgeSeed(3));
    const steps = await warmUpJudge(be, judge, task, { steps: 40, batch: 8, lr: 3e-3 }, judgeSeed(3));
    expect(steps).toHaveLength(40);
    expect(steps[39].loss).toBeLessThan(steps[0].loss * 0.6);
  });

  it('a GRPO iteration with equal rewards changes nothing; with unequal ones it learns; a resumed judge continues exactly', async () => {
    const be = await createWasmBackend();
    const judge = createJudgeModel(be, task, settings, judgeSeed(4));
    const grpo = new JudgeGrpo(be, judge, task, grpoCfg, judgeSeed(4), 4);
    const batch = instances.slice(0, 4);
    const before = await readWeights(be, judge.model);
    const flat = await grpo.iterate(batch.map((b) => b.prompt), (outs) => outs.map((os) => os.map(() => 1)));
    expect(flat.advantages.flat().every((a) => a === 0)).toBe(true);
    expect(same(before, await readWeights(be, judge.model))).toBe(true);
    expect(grpo.iteration).toBe(1);

    const saved = await grpo.saveState();
    let k = 0;
    const mixed = (outs: string[][]) => outs.map((os) => os.map(() => k++ % 3 === 0 ? 1 : 0));
    const a = await grpo.iterate(batch.map((b) => b.prompt), mixed);
    expect(a.advantages.flat().some((x) => x !== 0)).toBe(true);
    const after = await readWeights(be, judge.model);
    expect(same(before, after)).toBe(false);

    const be2 = await createWasmBackend();
    const judge2 = createJudgeModel(be2, task, settings, judgeSeed(99));
    const grpo2 = new JudgeGrpo(be2, judge2, task, grpoCfg, judgeSeed(4), 4);
    grpo2.loadState(saved);
    k = 0;
    const b = await grpo2.iterate(batch.map((x) => x.prompt), mixed);
    expect(b.outputs).toEqual(a.outputs);
    expect(same(after, await readWeights(be2, judge2.model))).toBe(true);
  });
});
