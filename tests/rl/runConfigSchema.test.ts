/** The strict run config schema: each config the old checks let through is refused with the bound it breaks. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RUN, parseRunConfig, runProblems } from '../../src/rl/runConfig';

const refusal = (input: string | object) => {
  try {
    parseRunConfig(input);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
};

describe('strict run config schema', () => {
  it.each([
    [{ model: { nEmbd: 65536, nLayer: 64, contextLength: 4096 } }, /model\.contextLength: must be an integer in \[1, 1024\] \(got 4096\)[\s\S]*model\.nLayer: must be an integer in \[1, 12\] \(got 64\)[\s\S]*model\.nEmbd: must be an integer in \[1, 512\] \(got 65536\)/],
    [{ model: { nEmbd: 4096, nLayer: 16 }, sft: { batch: 512 } }, /sft\.batch: must be an integer in \[1, 256\] \(got 512\)/],
    [{ grpo: { num_generations: 100000, prompts_per_step: 100000 } }, /grpo\.num_generations: must be an integer in \[2, 64\][\s\S]*grpo\.prompts_per_step: must be an integer in \[1, 64\]/],
    [{ iterations: 1e12 }, /iterations: must be an integer in \[0, 100000\] \(got 1000000000000\)/],
    [{ grpo: { max_completion_length: 1e9 } }, /grpo\.max_completion_length: must be an integer in \[1, 512\]/],
    [{ eval: { n: 1e9 } }, /eval\.n: must be an integer in \[0, 512\]/],
    [{ eval: { n: 512 }, grpo: { num_generations: 16 } }, /eval\.n: eval\.n × grpo\.num_generations = 8192 held-out completions, more than 4096/],
    [{ grpo: { learning_rate: '0.001' } }, /grpo\.learning_rate: must be a number in \[0, 3\.40e\+38\] \(got "0\.001"\)/],
    [{ grpo: { learning_rte: 0.01 } }, /grpo\.learning_rte: unknown option; did you mean learning_rate\?/],
    [{ modle: { nLayer: 2 } }, /^- modle: unknown option; did you mean model\?$/m],
    [{ difficulty: { digts: 2 } }, /difficulty\.digts: unknown option; did you mean digits\? \(addition has digits\)/],
    [{ rewards: { weights: { judeg: 1 } } }, /rewards\.weights\.judeg: unknown option; did you mean judge\?/],
    [{ grpo: { restrain: { sigma: 0 } } }, /grpo\.restrain\.sigma: must be a number in \(0, 10\] \(got 0\)/],
    [{ rewards: { judge: { keyword: 'x'.repeat(65) } } }, /rewards\.judge\.keyword: must be at most 64 characters \(got 65\)/],
    [{ seed: -1 }, /seed: must be an integer in \[0, 4294967295\]/],
    [{ grpo: { delta: 1.2, epsilon_high: 0.28 } }, /grpo\.delta: delta \(1\.2\) must be greater than 1 \+ epsilon_high \(1\.28\), or null for off/],
    [{ grpo: { delta: 'off' } }, /grpo\.delta: must be null \(off\) or a number in \(1, 100\] \(got "off"\)/],
    [{ grpo: { importance_sampling_level: 'seq' } }, /grpo\.importance_sampling_level: must be one of token, sequence \(got "seq"\)/],
    ['{"__proto__":{"seed":5},"grpo":{"constructor":{"x":1},"prototype":2}}', /- __proto__: reserved name, not an option\n- grpo\.constructor: reserved name, not an option\n- grpo\.prototype: reserved name, not an option/],
    ['{"difficulty":{"__proto__":{"digits":2}}}', /^invalid run config:\n- difficulty\.__proto__: reserved name, not an option$/],
    ['x'.repeat(70_000), /run config is 70000 characters, more than the 65536 a config may have/],
  ])('refuses %j', (input, why) => {
    expect(refusal(input)).toMatch(why);
  });

  it('lists every problem, field rules and cross-field rules together', () => {
    const message = refusal({ seed: 1.5, grpo: { prompts_per_step: 6, minibatches: 4, beta: -1 }, model: { nHead: 3 } });
    expect(message.split('\n').slice(1)).toEqual([
      '- seed: must be an integer in [0, 4294967295] (got 1.5)',
      '- grpo.beta: must be a number in [0, 100] (got -1)',
      '- grpo.minibatches: minibatches (4) must divide prompts_per_step (6)',
      '- model.nHead: heads (3) must divide the width (32)',
    ]);
  });

  it('never lets a prototype key reach an object', () => {
    expect(() => parseRunConfig('{"__proto__":{"polluted":1},"grpo":{"__proto__":{"beta":0.5}}}')).toThrow(/reserved name/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(parseRunConfig({ seed: 2 }).grpo)).toBe(Object.prototype);
  });

  it('merges partial configs with the defaults and returns fresh objects', () => {
    const run = parseRunConfig({ grpo: { beta: 0.1, restrain: { kappa: 3 } }, rewards: { weights: { judge: 1 } } });
    expect(run.grpo).toEqual({ ...DEFAULT_RUN.grpo, beta: 0.1, restrain: { ...DEFAULT_RUN.grpo.restrain, kappa: 3 } });
    expect(run.rewards.weights).toEqual({ correct: 1, judge: 1 });
    expect(run.grpo).not.toBe(DEFAULT_RUN.grpo);
    expect(runProblems(run)).toEqual([]);
  });
});
