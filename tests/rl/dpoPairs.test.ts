/** DPO pair selection: which completions make a prompt's pair, and which prompts are skipped. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { selectPairs, type ScoredGroup } from '../../src/rl/dpo/pairs';

const group = (correct: boolean[], rewards: number[] = correct.map((c) => (c ? 1 : 0))): ScoredGroup => ({ correct, rewards });

describe('DPO pairs, random rule (verifiable rewards)', () => {
  it('pairs a correct with an incorrect completion and skips prompts with one kind only', () => {
    const groups = [group([true, false, true, false]), group([true, true, true, true]), group([false, false, false, false]), group([false, false, true, false])];
    const { pairs, skipped } = selectPairs(groups, 'random', new Rng(1, 2));
    expect(skipped).toBe(2);
    expect(pairs.map((p) => p.group)).toEqual([0, 3]);
    for (const p of pairs) {
      expect(groups[p.group].correct[p.chosen]).toBe(true);
      expect(groups[p.group].correct[p.rejected]).toBe(false);
    }
    expect(pairs[1].chosen).toBe(2);
  });

  it('draws every correct and every incorrect completion, each about equally often', () => {
    const g = group([true, false, true, false, false, true]);
    const chosen = new Map<number, number>(), rejected = new Map<number, number>();
    const rng = new Rng(7, 3);
    const n = 3000;
    for (let i = 0; i < n; i++) {
      const [p] = selectPairs([g], 'random', rng).pairs;
      chosen.set(p.chosen, (chosen.get(p.chosen) ?? 0) + 1);
      rejected.set(p.rejected, (rejected.get(p.rejected) ?? 0) + 1);
    }
    expect([...chosen.keys()].sort()).toEqual([0, 2, 5]);
    expect([...rejected.keys()].sort()).toEqual([1, 3, 4]);
    for (const count of [...chosen.values(), ...rejected.values()]) expect(Math.abs(count / n - 1 / 3)).toBeLessThan(0.04);
  });

  it('is a pure function of the stream: the same generator state gives the same pairs', () => {
    const groups = [group([true, false, true, false]), group([false, true, true, false])];
    expect(selectPairs(groups, 'random', new Rng(5, 9).split(4))).toEqual(selectPairs(groups, 'random', new Rng(5, 9).split(4)));
  });

  it('uses correctness, not the reward (shaping does not decide a verifiable pair)', () => {
    const [p] = selectPairs([group([true, false], [0.2, 0.9])], 'random', new Rng(1)).pairs;
    expect(p).toEqual({ group: 0, chosen: 0, rejected: 1 });
  });
});

describe('DPO pairs, best_worst rule (judged rewards)', () => {
  it('takes the highest- and the lowest-reward completion', () => {
    const { pairs, skipped } = selectPairs([group([false, false, false, false], [0.3, 0.9, -0.2, 0.5])], 'best_worst', new Rng(1));
    expect(skipped).toBe(0);
    expect(pairs).toEqual([{ group: 0, chosen: 1, rejected: 2 }]);
  });

  it('skips prompts whose rewards all tie, and breaks ties among the best or worst by the first index', () => {
    const { pairs, skipped } = selectPairs([group([true, true, true], [0.5, 0.5, 0.5]), group([true, false, true, false], [1, 0, 1, 0])], 'best_worst', new Rng(1));
    expect(skipped).toBe(1);
    expect(pairs).toEqual([{ group: 1, chosen: 0, rejected: 1 }]);
  });

  it('draws nothing from the stream', () => {
    const rng = new Rng(3);
    selectPairs([group([true, false], [1, 0])], 'best_worst', rng);
    expect(rng.position).toBe(0);
  });
});
