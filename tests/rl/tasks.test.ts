import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { CharTokenizer } from '../../src/model/tokenizer';
import { getTask, TASKS } from '../../src/rl/tasks/registry';
import { isCorrect, resolveDifficulty } from '../../src/rl/tasks/types';

describe('tasks', () => {
  for (const task of TASKS) {
    it(`${task.name}: seeded, tokenizable, demonstrations verify, wrong answers do not`, () => {
      const d = resolveDifficulty(task);
      const tok = new CharTokenizer(task.alphabet);
      const a = task.generate(new Rng(5), d), b = task.generate(new Rng(5), d);
      expect(a).toEqual(b);
      for (let i = 0; i < 50; i++) {
        const inst = task.generate(new Rng(100 + i), d);
        tok.encode(inst.prompt + inst.demonstration);
        expect(isCorrect(task, task.extractAnswer(inst.demonstration), inst)).toBe(true);
        expect(isCorrect(task, task.extractAnswer(`${inst.demonstration}1`), inst)).toBe(false);
        expect(isCorrect(task, null, inst)).toBe(false);
      }
    });
  }

  it('computes the gold answers of hand cases', () => {
    const rng = new Rng(1);
    const add = getTask('addition').generate(rng, { digits: 2 });
    const [x, y] = add.prompt.slice(0, -1).split('+').map(Number);
    expect(add.answer).toBe(String(x + y));
    const block = getTask('find-block').generate(rng, { blocks: 5, blockLength: 4, queryLength: 2 });
    const [blocks, query] = block.prompt.slice(0, -1).split('#');
    const containing = blocks.split('.').filter((b) => [...query].every((ch) => b.includes(ch)));
    expect(containing).toEqual([block.answer]);
  });

  it('names bad difficulty settings and unknown tasks', () => {
    expect(() => resolveDifficulty(getTask('addition'), { digits: 9 })).toThrow(/digits per operand must be an integer in \[1, 6\]/);
    expect(() => resolveDifficulty(getTask('addition'), { size: 2 })).toThrow(/unknown difficulty setting size/);
    expect(() => getTask('nope')).toThrow(/unknown task "nope"/);
  });
});

describe('run config', () => {
  it('fills defaults, keeps a given difficulty whole, and lists every problem with its path', async () => {
    const { parseRunConfig } = await import('../../src/rl/runConfig');
    const run = parseRunConfig({ task: 'reversal', difficulty: { length: 5 }, grpo: { beta: 0.1 } });
    expect(run.difficulty).toEqual({ length: 5 });
    expect(run.grpo.beta).toBe(0.1);
    expect(run.grpo.num_generations).toBe(8);
    expect(parseRunConfig({ task: 'sorting' }).difficulty).toEqual({ length: 4 });
    expect(() =>
      parseRunConfig({ grpo: { num_generations: 1, top_p: 2 }, rewards: { judge: { noise: 2, lengthBias: null }, weights: { correct: 0 } } }),
    ).toThrow(/grpo\.num_generations: must be an integer in \[2, 64\] \(got 1\)[\s\S]*grpo\.top_p: must be a number in \(0, 1\] \(got 2\)[\s\S]*rewards\.judge\.lengthBias[\s\S]*rewards\.judge\.noise[\s\S]*at least one reward/);
    expect(() => parseRunConfig('{oops')).toThrow(/not valid JSON/);
  });
});
