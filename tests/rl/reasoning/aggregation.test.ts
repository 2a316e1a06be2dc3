/** Aggregation prompts, the voting baselines and the pool's pass@k ceiling. */
import { describe, expect, it } from 'vitest';
import { aggregationPrompt, equivalenceVote, majorityVote, parseAggregationPrompt, polynomialsEquivalent, poolPassAtK } from '../../../src/rl/reasoning/aggregation';
import { getTask } from '../../../src/rl/tasks/registry';
import { CharTokenizer } from '../../../src/model/tokenizer';

describe('aggregation prompt', () => {
  it('lists the candidates after the problem, each closed by the terminator, and parses back', () => {
    const text = aggregationPrompt('37+45=', ['82', '81', null]);
    expect(text).toBe('37+45=82=81==');
    expect(parseAggregationPrompt(text)).toEqual({ problem: '37+45=', candidates: ['82', '81', null] });
    // Other terminators: sorting's '>', countdown's '='; all within the task's alphabet.
    expect(aggregationPrompt('3142>', ['1234', '1243'])).toBe('3142>1234>1243>');
    const countdown = aggregationPrompt('3,5,7>22=', ['3*5+7', '5*3+7']);
    new CharTokenizer(getTask('countdown').alphabet).encode(countdown);
  });

  it('names what is wrong', () => {
    expect(() => aggregationPrompt('37+45=', [])).toThrow(/no candidates/);
    expect(() => aggregationPrompt('37+45=', ['8=2'])).toThrow(/candidate 0 "8=2" contains the terminator "="/);
    expect(() => aggregationPrompt('a=b=', ['1'])).toThrow(/must end with a terminator that occurs nowhere else/);
    expect(() => parseAggregationPrompt('37+45=')).toThrow(/lists no candidates/);
  });
});

describe('votes', () => {
  it('majority: the most frequent answer, ties to the first seen, shares over all candidates', () => {
    // 82 ×2, 81 ×2 (82 first), one without an answer: 2 of 5.
    expect(majorityVote(['82', '81', null, '81', '82'])).toEqual({ answer: '82', count: 2, share: 0.4 });
    expect(majorityVote(['7', '9', '9'])).toEqual({ answer: '9', count: 2, share: 2 / 3 });
    expect(majorityVote([null, null])).toEqual({ answer: null, count: 0, share: 0 });
  });

  it('equivalence-aware: equal polynomials in different forms vote together', () => {
    const answers = ['x^2+2x+1', '2x+2', '(x+1)^2', '1+2x+x^2', '2x+2', '2x+3'];
    // Exact strings: 2x+2 has 2 votes, every other string 1 → the plain majority is 2x+2.
    expect(majorityVote(answers).answer).toBe('2x+2');
    // Clusters: {x^2+2x+1, (x+1)^2, 1+2x+x^2} = 3, {2x+2, 2x+2} = 2, {2x+3} = 1 → the first form of (x+1)^2, 3 of 6.
    expect(equivalenceVote(answers, polynomialsEquivalent)).toEqual({ answer: 'x^2+2x+1', count: 3, share: 0.5 });
    expect(polynomialsEquivalent('2(x+1)', '2x+2')).toBe(true);
    expect(polynomialsEquivalent('x^2-1', '(x-1)(x+1)')).toBe(true);
    expect(polynomialsEquivalent('x^', 'x^')).toBe(true); // unparseable: equal only to itself
    expect(polynomialsEquivalent('x^', 'x')).toBe(false);
  });

  it('the pool pass@k is the unbiased estimate over the pool', () => {
    // 1 correct of 4, k=2: 1 − C(3,2)/C(4,2) = 0.5; k=4: 1.
    expect(poolPassAtK([false, true, false, false], 2)).toBeCloseTo(0.5, 12);
    expect(poolPassAtK([false, true, false, false], 4)).toBe(1);
  });
});
