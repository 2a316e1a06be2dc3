/** A tiny model learns a toy task by supervised fine-tuning (answer-only loss), deterministically for a seed. */
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { Rng } from '../../src/engine/rng';
import { presetConfig } from '../../src/model/config';
import { buildSftBatch, DEFAULT_SFT, SftTrainer } from '../../src/model/sft';
import { CharTokenizer } from '../../src/model/tokenizer';
import { Transformer } from '../../src/model/transformer';
import { evaluate, heldOutInstances } from '../../src/rl/evaluate';
import { getTask } from '../../src/rl/tasks/registry';

describe('SFT', () => {
  it('weights only completion tokens and EOS, averaged over the batch', () => {
    const tok = new CharTokenizer('ab>');
    const b = buildSftBatch(tok, [{ prompt: 'ab>', completion: 'ba' }, { prompt: 'a>', completion: 'a' }]);
    expect(b.T).toBe(6);
    // Sequence 0: BOS a b > b a EOS → rows 3,4,5 predict b, a, EOS; sequence 1: BOS a > a EOS → rows 2,3.
    const w = Array.from(b.weights).map((x) => x * 5);
    expect(w.map((x) => Math.round(x))).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0]);
    expect(Array.from(b.targets.slice(3, 6))).toEqual([...tok.encode('ba'), 2]);
  });

  it('teaches a tiny model to reverse 3-letter strings (held-out accuracy ≥ 0.9)', async () => {
    const be = createCpuBackend();
    const task = getTask('reversal');
    const difficulty = { length: 3 };
    const tok = new CharTokenizer(task.alphabet);
    const model = Transformer.init(be, presetConfig('tiny', tok.vocabSize, { contextLength: 16 }), 1);
    const steps = 150;
    const trainer = new SftTrainer(be, model, tok, { ...DEFAULT_SFT, steps, lr: 1e-2, warmupSteps: 10 });
    const rng = new Rng(1, 9);
    let first = 0, last = 0;
    for (let s = 0; s < steps; s++) {
      const demos = Array.from({ length: 32 }, () => {
        const inst = task.generate(rng, difficulty);
        return { prompt: inst.prompt, completion: inst.demonstration };
      });
      const m = await trainer.step(demos);
      if (s === 0) first = m.loss;
      last = m.loss;
    }
    expect(last).toBeLessThan(first * 0.2);
    const { accuracy } = await evaluate(be, model, tok, task, heldOutInstances(task, difficulty, 64, 7), { maxNewTokens: 4 });
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
  });
});
