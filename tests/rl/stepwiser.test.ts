/** StepWiser step values on a real policy: a wrong step loses the Monte-Carlo value the correct prefix had. */
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../../src/engine/backend/wasm';
import { Rng } from '../../src/engine/rng';
import { Experiment } from '../../src/rl/experiment';
import { stepLabels, stepValues } from '../../src/rl/judges/stepwiser';
import { parseRunConfig } from '../../src/rl/runConfig';
import { ANSWER_MARK, STEP_SEPARATOR } from '../../src/rl/tasks/multiStep';

describe('StepWiser on the multi-step task', () => {
  // One-step problems keep training cheap: after the step the policy only has to carry its result to the
  // answer, so a correct step keeps a high Monte-Carlo value and a corrupted one loses it.
  it('gives correct steps high Q and a corrupted step low Q, with consistent labels', async () => {
    const exp = new Experiment(
      await createWasmBackend(),
      parseRunConfig({
        task: 'multi-step',
        difficulty: { steps: 1, max: 3 },
        model: { preset: 'tiny', contextLength: 24 },
        sft: { steps: 80, batch: 32, lr: 1e-2 },
        eval: { n: 4, every: 1 },
      }),
    );
    await exp.warmStart();
    const opts = { M: 12, gamma: 0.8, alpha: 0.8, bestOf: 4, maxNewTokens: 8, temperature: 1, seed: 3, separator: STEP_SEPARATOR };
    const rng = new Rng(42);
    let goodQ = 0, badQ = 0;
    const cases = 4;
    for (let i = 0; i < cases; i++) {
      const inst = exp.task.generate(rng, exp.run.difficulty);
      const good = inst.demonstration;
      const [first, ...rest] = good.split(STEP_SEPARATOR);
      // Corrupt the result of the first step (off by one); later steps can no longer reach the gold answer.
      const [lhs, value] = first.split('=');
      const bad = [`${lhs}=${Number(value) + 1}`, ...rest].join(STEP_SEPARATOR);
      const goodValues = await stepValues(exp.be, exp.policy, exp.tokenizer, exp.task, inst, good, opts);
      const badValues = await stepValues(exp.be, exp.policy, exp.tokenizer, exp.task, inst, bad, opts);
      expect(goodValues.map((v) => v.step)).toEqual(good.split(STEP_SEPARATOR).slice(0, -1));
      expect(good.endsWith(`${ANSWER_MARK}${inst.answer}`)).toBe(true);
      for (const v of [...goodValues, ...badValues]) expect(v.q >= 0 && v.q <= 1).toBe(true);
      goodQ += goodValues[0].q;
      badQ += badValues[0].q;
      // Labels follow the rules from the Q sequence.
      for (const v of [...goodValues, ...badValues]) expect(v.absQ).toBe(v.q > 0);
      expect(stepLabels([0.5, goodValues[0].q], opts)[0].relRatio).toBe(goodValues[0].q / 0.5 > opts.gamma);
    }
    expect(goodQ / cases).toBeGreaterThan(0.5);
    expect(badQ / cases).toBeLessThan(goodQ / cases - 0.3);
  });
});
