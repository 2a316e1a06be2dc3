/** NaturalThoughts trace selectors: each one's defining preference, seeded. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/engine/rng';
import { longWeights, selectTraces, strategyCount, strategyPattern, type Trace, weightedWithoutReplacement } from '../../../src/rl/reasoning/traceSelection';

const trace = (text: string, teacherAnswer: string | null = '1', secondAnswer: string | null = teacherAnswer): Trace => ({ text, teacherAnswer, secondAnswer });

describe('trace selection', () => {
  it('long weights are min(1, (length/C)^τ)', () => {
    // C = 8, τ = 2: (2/8)² = 1/16, (4/8)² = 1/4, (8/8)² = 1, (16/8)² = 4 → capped at 1.
    expect(longWeights([2, 4, 8, 16], 8, 2)).toEqual([1 / 16, 1 / 4, 1, 1]);
    expect(() => longWeights([1], 0, 2)).toThrow(/C must be positive/);
  });

  it('weighted draws follow the weights and never repeat', () => {
    // Weights 1 : 3, one draw each time: P(index 1 first) = 3/4. 4000 draws: sd √(4000·3/16) ≈ 27; ±120 is > 4 sd.
    const rng = new Rng(3);
    let second = 0;
    for (let i = 0; i < 4000; i++) if (weightedWithoutReplacement([1, 3], 1, rng)[0] === 1) second++;
    expect(Math.abs(second - 3000)).toBeLessThan(120);
    expect(weightedWithoutReplacement([0, 0, 5, 0], 4, new Rng(4)).sort()).toEqual([0, 1, 2, 3]);
    expect(weightedWithoutReplacement([0, 0, 5, 0], 1, new Rng(4))).toEqual([2]);
  });

  it('the long selector picks longer traces than random at the same budget', () => {
    // Pool: 60 traces of length 2..31 (two of each). Budget 10.
    const pool = Array.from({ length: 60 }, (_, i) => trace('x'.repeat(2 + (i % 30))));
    const meanLength = (idx: number[]) => idx.reduce((s, i) => s + pool[i].text.length, 0) / idx.length;
    let longSum = 0, randomSum = 0;
    for (let seed = 0; seed < 20; seed++) {
      const long = selectTraces(pool, 'long', { seed, budget: 10, tau: 2.5 });
      expect(new Set(long).size).toBe(10);
      longSum += meanLength(long);
      randomSum += meanLength(selectTraces(pool, 'random', { seed, budget: 10 }));
    }
    // Pool mean length 16.5; with weights ∝ length^2.5 the picks lean to the top third (>22 on average).
    expect(randomSum / 20).toBeGreaterThan(13);
    expect(randomSum / 20).toBeLessThan(20);
    expect(longSum / 20).toBeGreaterThan(22);
  });

  it('is a pure function of its seed and checks its budget', () => {
    const pool = Array.from({ length: 12 }, (_, i) => trace(`${i}+1`));
    expect(selectTraces(pool, 'random', { seed: 9, budget: 5 })).toEqual(selectTraces(pool, 'random', { seed: 9, budget: 5 }));
    expect(selectTraces(pool, 'random', { seed: 9, budget: 5 })).not.toEqual(selectTraces(pool, 'random', { seed: 10, budget: 5 }));
    expect(() => selectTraces(pool, 'random', { seed: 9, budget: 13 })).toThrow(/budget must be an integer in \[0, 12\] \(got 13\)/);
  });

  it('disagreement takes the disagreeing traces first, then fills the budget', () => {
    // Traces 1 and 4 disagree (teacher 3 vs 4; teacher answer vs none).
    const pool = [trace('a'), trace('b', '3', '4'), trace('c'), trace('d'), trace('e', '7', null), trace('f')];
    const pick = selectTraces(pool, 'disagreement', { seed: 1, budget: 4 });
    expect(new Set(pick.slice(0, 2))).toEqual(new Set([1, 4]));
    expect(pick).toHaveLength(4);
    expect(new Set(pick).size).toBe(4);
  });

  it('the diversity proxy is the binary-operator pattern; the selector covers patterns, richest first', () => {
    // "{5+3=8;8*2=16}16": operators after a digit: + then * → "+*". "{9-12=-3}-3": only the first '-' is binary.
    expect(strategyPattern('{5+3=8;8*2=16}16')).toBe('+*');
    expect(strategyPattern('{9-12=-3}-3')).toBe('-');
    expect(strategyPattern('(3+5)*7')).toBe('+*');
    expect(strategyCount('{1+2=3;3+4=7;7*2=14}14')).toBe(2); // pattern "++*", distinct {+, *}
    // Pool: six traces of pattern "+", two of "+*", one of "-*+". Budget 3 → one per pattern, "-*+" (3 ops) first.
    const pool = [...Array.from({ length: 6 }, (_, i) => trace(`{${i}+1}`)), trace('{1+2=3;3*2=6}6'), trace('{2+2=4;4*3=12}12'), trace('{5-1=4;4*2=8;8+1=9}9')];
    const patterns = (pick: number[]) => new Set(pick.map((i) => strategyPattern(pool[i].text)));
    let randomCovers = 0;
    for (let seed = 0; seed < 20; seed++) {
      const pick = selectTraces(pool, 'diversity', { seed, budget: 3 });
      expect(pick[0]).toBe(8);
      expect(patterns(pick)).toEqual(new Set(['-*+', '+*', '+']));
      if (patterns(selectTraces(pool, 'random', { seed, budget: 3 })).size === 3) randomCovers++;
    }
    // A random 3 of 9 covers all three patterns with probability 6·2·1/C(9,3) = 12/84 = 1/7: about 3 of 20 seeds.
    expect(randomCovers).toBeLessThan(10);
  });
});
