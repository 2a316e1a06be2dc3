/**
 * One J1 judge GRPO iteration through the trainer's path (parseJ1Verdict → j1Rewards with the consistency reward
 * → JudgeGrpo.learnGroups, i.e. GrpoTrainer's advantages() and learn()) against the PyTorch reference
 * (scripts/reference_j1.py → tests/fixtures/j1-step): from fixed judge weights and fixed both-order outputs, the
 * rewards (exact), advantages, loss, gradient norm and the weights after one AdamW step, with the consistency
 * reward on and off. Tolerances as in tests/rl/grpoReference.test.ts for one step (f32 both sides, other sum orders);
 * measured on cpu and wasm: advantages ≤ 6e-8, loss ≤ 2e-8, grad_norm ≤ 6e-8, weights after the step ≤ 9e-8.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../../src/engine/backend/cpu';
import { createWasmBackend } from '../../../src/engine/backend/wasm';
import { loadCheckpoint } from '../../../src/model/checkpoint';
import { readSafetensors } from '../../../src/model/safetensors';
import { BOS } from '../../../src/model/tokenizer';
import { readWeights } from '../../../src/model/weights';
import { DEFAULT_GRPO, type GrpoConfig } from '../../../src/rl/grpo/config';
import { j1Task, parseJ1Verdict, type J1Instance } from '../../../src/rl/judgeTraining/j1';
import { j1Rewards } from '../../../src/rl/judgeTraining/j1Judge';
import { JudgeGrpo, type JudgeOutput } from '../../../src/rl/judgeTraining/judgeModel';
import { mismatches } from '../../harness/compare';

const dir = join(__dirname, '..', '..', 'fixtures', 'j1-step');
const read = (f: string) => readFileSync(join(dir, f));
const files = { configJson: read('config.json').toString('utf8'), weights: new Uint8Array(read('model.safetensors')) };
const fixture = JSON.parse(read('batch.json').toString('utf8')) as {
  policyAlphabet: string;
  config: Partial<GrpoConfig>;
  instances: Array<Omit<J1Instance, 'demonstration'> & { outputs: string[] }>;
  sequences: Array<{ prompt: number[]; completion: number[]; truncated: boolean }>;
};
const cases = (JSON.parse(read('expected.json').toString('utf8')) as { cases: Array<{ consistency_weight: number; rewards: number[][]; advantages: number[]; loss: number; grad_norm: number }> }).cases;
const after = readSafetensors(new Uint8Array(read('expected.safetensors'))).tensors;

const TOL = { advantages: { atol: 1e-6, rtol: 1e-5 }, scalars: { atol: 1e-6, rtol: 5e-5 }, weights: { atol: 1e-6, rtol: 0 } };

describe.each([
  ['cpu', createCpuBackend],
  ['wasm', createWasmBackend],
])('J1 judge GRPO step vs the PyTorch reference (%s)', (_name, makeBackend) => {
  it.each(cases.map((c, i) => [i, c.consistency_weight] as const))('case %i (consistency weight %d)', async (index) => {
    const c = cases[index];
    const be = await makeBackend();
    const judge = loadCheckpoint(be, files);
    const batch: J1Instance[] = fixture.instances.map((inst) => ({ prompt: inst.prompt, answer: inst.answer, pairId: inst.pairId, order: inst.order, demonstration: '' }));
    const cfg: GrpoConfig = { ...DEFAULT_GRPO, ...fixture.config };
    const grpo = new JudgeGrpo(be, judge, j1Task(fixture.policyAlphabet, batch), cfg, 0, 1);

    const letters = fixture.instances.map((inst) => inst.outputs.map((o) => parseJ1Verdict(o).letter));
    const rewards = j1Rewards(batch, letters, c.consistency_weight);
    expect(rewards).toEqual(c.rewards);

    // The outputs as the sampler would return them: BOS + prompt ids, then the output's ids (EOS unless cut off).
    const G = cfg.num_generations;
    const outputs: JudgeOutput[][] = batch.map((inst, gi) =>
      fixture.sequences.slice(gi * G, (gi + 1) * G).map((s, k) => {
        expect(judge.tokenizer.decode(s.completion)).toBe(fixture.instances[gi].outputs[k]);
        expect(s.prompt).toEqual(judge.tokenizer.encode(inst.prompt));
        return { prompt: [BOS, ...s.prompt], tokens: s.completion, truncated: s.truncated, actSeed: 0 };
      }),
    );
    const { advantages, learned } = await grpo.learnGroups(outputs, rewards);
    expect(mismatches(advantages.flat(), c.advantages, TOL.advantages)).toBeNull();
    expect(mismatches([learned.steps[0].loss, learned.steps[0].grad_norm], [c.loss, c.grad_norm], TOL.scalars)).toBeNull();
    const got = await readWeights(be, judge.model);
    for (const [name, value] of got) expect(mismatches(value, after.get(`c${index}.${name}`)!.data, TOL.weights), name).toBeNull();
  });
});
