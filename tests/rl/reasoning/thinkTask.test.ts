/** The think-budget task: its splits, its three warm-start modes, and answers read only after the scratchpad. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/engine/rng';
import { CharTokenizer } from '../../../src/model/tokenizer';
import { displayThink, thinkBudget, withModeChar } from '../../../src/rl/tasks/think';
import { isCorrect, resolveDifficulty, type TaskInstance } from '../../../src/rl/tasks/types';

const draw = (given: Record<string, number>, n = 400): TaskInstance[] => {
  const d = resolveDifficulty(thinkBudget, given);
  return Array.from({ length: n }, (_, i) => thinkBudget.generate(new Rng(1000 + i), d));
};

describe('think-budget task', () => {
  it('draws the hard split at the asked rate, and only the hard split needs steps', () => {
    const mixed = draw({ hardPercent: 25 });
    const hard = mixed.filter((x) => x.split === 'hard').length;
    // 400 draws at p = 0.25: mean 100, sd √(400·0.25·0.75) ≈ 8.7; ±30 is beyond 3 sd.
    expect(hard).toBeGreaterThan(70);
    expect(hard).toBeLessThan(130);
    for (const x of draw({ hardPercent: 0 }, 50)) expect(x.prompt).toMatch(/^\d\+\d=$/);
    for (const x of draw({ hardPercent: 100, steps: 3 }, 50)) expect(x.prompt).toMatch(/^[1-9]([+\-*][1-9]){3}=$/);
  });

  it('teaches think-then-answer, answer-only and mixed-by-difficulty demonstrations', () => {
    const think = draw({ mode: 0 }, 100), direct = draw({ mode: 1 }, 100), mixed = draw({ mode: 2, mixRule: 0 }, 100);
    // Same seeds, so the same problems: the modes differ only in prompt mode character and demonstration.
    for (let i = 0; i < 100; i++) {
      expect(think[i].demonstration.startsWith('{')).toBe(true);
      expect(think[i].demonstration.endsWith(`}${think[i].answer}`)).toBe(true);
      expect(direct[i].demonstration).toBe(direct[i].answer);
      const hard = mixed[i].split === 'hard';
      expect(mixed[i].prompt[0]).toBe(hard ? 'T' : 'N');
      expect(mixed[i].demonstration).toBe(hard ? think[i].demonstration : think[i].answer);
    }
    // mixRule 1: the mode character follows a coin, not the split, so both splits see both modes.
    const coin = draw({ mode: 2, mixRule: 1 });
    for (const split of ['easy', 'hard'] as const) {
      const modes = new Set(coin.filter((x) => x.split === split).map((x) => x.prompt[0]));
      expect(modes).toEqual(new Set(['T', 'N']));
    }
    for (const x of coin) expect(x.demonstration.startsWith('{')).toBe(x.prompt[0] === 'T');
  });

  it('writes each step from the last result, recomputed by hand rule on a drawn instance', () => {
    // A drawn hard instance, its scratchpad recomputed step by step: each step continues from the last result.
    const x = draw({ hardPercent: 100, steps: 2 }, 1)[0];
    const [a, op1, b, op2, c] = x.prompt.slice(0, -1).split('');
    const apply = (p: number, op: string, q: number) => (op === '+' ? p + q : op === '-' ? p - q : p * q);
    const first = apply(Number(a), op1, Number(b)), second = apply(first, op2, Number(c));
    expect(x.demonstration).toBe(`{${a}${op1}${b}=${first};${first}${op2}${c}=${second}}${second}`);
    expect(x.answer).toBe(String(second));
  });

  it('reads the answer only after </think>; unclosed thinking has none', () => {
    const inst: TaskInstance = { prompt: '5+3*2=', answer: '16', demonstration: '{5+3=8;8*2=16}16', split: 'hard' };
    const answer = (c: string) => thinkBudget.extractAnswer(c);
    expect(answer('{5+3=8;8*2=16}16')).toBe('16');
    expect(answer('16')).toBe('16'); // answer-only
    expect(answer('{16')).toBeNull(); // thought never closed
    expect(answer('{5+3=8}15')).toBe('15'); // the 8 inside the scratchpad is not read
    expect(answer('{16}')).toBeNull();
    expect(answer('}-4')).toBe('-4');
    expect(isCorrect(thinkBudget, answer('{1}16'), inst)).toBe(true);
    expect(isCorrect(thinkBudget, answer('{16}1'), inst)).toBe(false);
  });

  it('fits the vocabulary and short contexts, and renders the markers for display', () => {
    const tok = new CharTokenizer(thinkBudget.alphabet);
    expect(tok.vocabSize).toBe(3 + 19);
    const longest = Math.max(...draw({ hardPercent: 100, steps: 4, mode: 2 }).map((x) => tok.encode(x.prompt + x.demonstration).length));
    // BOS + prompt + demonstration + EOS within a 64-token context at the largest settings.
    expect(longest + 2).toBeLessThanOrEqual(64);
    expect(displayThink('T5+3=' + '{5+3=8}8')).toBe('<mode:think>5+3=<think>5+3=8</think>8');
    expect(withModeChar('N3+4=', true)).toBe('T3+4=');
    expect(withModeChar('3+4=', false)).toBe('N3+4=');
  });
});
