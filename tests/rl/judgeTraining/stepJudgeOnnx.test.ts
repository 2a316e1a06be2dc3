/**
 * A step judge trained here, exported as an ONNX judge (docs/judges.md contract) and loaded back the way `cli
 * --judge` loads one (onnxruntime-node, spec checked): on held-out steps it gives the same verdicts as the engine's
 * greedy decoding of the same weights.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadJudge } from '../../../src/cli/judge';
import { createWasmBackend } from '../../../src/engine/backend/wasm';
import { Rng } from '../../../src/engine/rng';
import { createJudgeModel, warmUpJudge } from '../../../src/rl/judgeTraining/judgeModel';
import { expectedStep, multiStepAnalysis } from '../../../src/rl/judgeTraining/multiStepRules';
import { stepJudgeInstance, stepJudgeTask, type StepExample } from '../../../src/rl/judgeTraining/stepData';
import { exportStepJudge, greedyVerdicts } from '../../../src/rl/stepwiser/trainer';
import { multiStep, STEP_SEPARATOR } from '../../../src/rl/tasks/multiStep';

/**
 * Each step of the worked solution (positive), and the same step written backwards, result first (negative): a
 * difference a tiny judge learns in a few hundred SFT steps, so it says both verdicts (the round trip is the point).
 */
function examples(rng: Rng, problems: number): StepExample[] {
  return Array.from({ length: problems }, () => multiStep.generate(rng, { steps: 2, max: 5 })).flatMap((inst) => {
    const history: string[] = [];
    const out: StepExample[] = [];
    for (let k = 0; k < 2; k++) {
      const step = expectedStep(inst.prompt, history);
      const [lhs, result] = step.split('=');
      out.push({ problem: inst.prompt, history: [...history], step, label: 'positive' });
      out.push({ problem: inst.prompt, history: [...history], step: `${result}=${lhs}`, label: 'negative' });
      history.push(step);
    }
    return out;
  });
}

const opts = { separator: STEP_SEPARATOR, analyse: multiStepAnalysis };
const MAX_TOKENS = 8;

describe('step judge ONNX round trip', () => {
  it('loads back through the judge contract and gives the engine’s verdicts', { timeout: 60_000 }, async () => {
    const be = await createWasmBackend();
    const task = stepJudgeTask(examples(new Rng(1), 64), { policyAlphabet: multiStep.alphabet, ...opts });
    const judge = createJudgeModel(be, task, { preset: 'tiny', contextLength: 48 }, 1);
    await warmUpJudge(be, judge, task, { steps: 300, batch: 16, lr: 1e-2 }, 1);

    const exported = await exportStepJudge(be, judge, MAX_TOKENS);
    expect(exported.spec).toMatchObject({ yes: 'P', no: 'N', alphabet: task.alphabet, maxThought: MAX_TOKENS });
    const path = join(mkdtempSync(join(tmpdir(), 'step-judge-')), 'step-judge');
    writeFileSync(`${path}.onnx`, exported.onnx);
    writeFileSync(`${path}.json`, exported.specText);
    const loaded = await loadJudge(path);

    const held = examples(new Rng(2), 12);
    const prompts = held.map((e) => stepJudgeInstance(e, opts).prompt);
    const engine = await greedyVerdicts(be, judge, prompts, MAX_TOKENS);
    // The contract's judge text is prompt + completion + "?": the step is the completion.
    const onnx = await Promise.all(held.map((e, i) => loaded(prompts[i].slice(0, -(e.step.length + 1)), e.step)));
    const readable = engine.flatMap((v, i) => (v === null ? [] : [i]));
    console.log(`step judge ONNX round trip: ${readable.length}/${held.length} readable engine verdicts, ${engine.filter((v) => v === 'positive').length} positive; right ${held.filter((e, i) => engine[i] === e.label).length}/${held.length}`);
    expect(readable.length).toBeGreaterThan(held.length * 0.8);
    expect(new Set(readable.map((i) => engine[i])).size).toBe(2);
    for (const i of readable) expect(onnx[i].label, `${prompts[i]} → ${onnx[i].rationale}`).toBe(engine[i] === 'positive' ? 'accept' : 'reject');
  });
});
