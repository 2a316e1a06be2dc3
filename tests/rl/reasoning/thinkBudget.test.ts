/** OptimalThinkingBench metrics at toy scale, against hand-computed values. */
import { describe, expect, it } from 'vitest';
import { aucOaa, f1Otb, oaaCurve, splitSummary, thinkBudgetReport, thinkTokens } from '../../../src/rl/reasoning/thinkBudget';
import { SAMPLES } from './thinkSamples';

const EASY = SAMPLES.slice(0, 4);

describe('think budget metrics', () => {
  it('counts think tokens between the markers', () => {
    expect(thinkTokens('7')).toBe(0); // answer-only
    expect(thinkTokens('{3+4=7}7')).toBe(5); // "3+4=7"
    expect(thinkTokens('{}7')).toBe(0);
    expect(thinkTokens('{5+3')).toBe(3); // never closed: all of "5+3"
    expect(thinkTokens('5+3=8}8')).toBe(5); // the prompt opened the scratchpad: "5+3=8" before </think>
  });

  it('OAA_t counts correct samples with fewer than t think tokens', () => {
    // t=0: none (think < 0 never). t=1: only (correct, 0) → 1/4. t=5: + (correct, 4) → 2/4.
    // t=12: still 2/4 (12 < 12 is false). t=13: 3/4.
    expect(oaaCurve(EASY, [0, 1, 5, 12, 13])).toEqual([0, 0.25, 0.5, 0.5, 0.75]);
  });

  it('AUC_OAA = mean of correct · max(0, t_max − think)/t_max, the mean of OAA_t over t = 1..t_max', () => {
    // t_max = 8: (8−0)/8 = 1, (8−4)/8 = 0.5, wrong → 0, max(0, 8−12)/8 = 0 → (1 + 0.5 + 0 + 0)/4 = 0.375.
    expect(aucOaa(EASY, 8)).toBeCloseTo(0.375, 12);
    // t_max = 16: 1, 12/16 = 0.75, 0, 4/16 = 0.25 → 2/4 = 0.5.
    expect(aucOaa(EASY, 16)).toBeCloseTo(0.5, 12);
    const ts = Array.from({ length: 16 }, (_, i) => i + 1);
    expect(oaaCurve(EASY, ts).reduce((a, b) => a + b, 0) / 16).toBeCloseTo(aucOaa(EASY, 16), 12);
  });

  it('F1_otb is the harmonic mean, 0 when both are 0', () => {
    // 2 · 0.375 · 0.5 / 0.875 = 0.375/0.875 = 3/7.
    expect(f1Otb(0.375, 0.5)).toBeCloseTo(3 / 7, 12);
    expect(f1Otb(0, 0)).toBe(0);
    expect(f1Otb(0, 1)).toBe(0);
  });

  it('reports per split and the whole summary', () => {
    // Easy: 3 of 4 correct, think (0+4+0+12)/4 = 4. Hard: 1 of 2, think (6+2)/2 = 4.
    expect(splitSummary(SAMPLES)).toEqual({ easy: { count: 4, accuracy: 0.75, meanThinkTokens: 4 }, hard: { count: 2, accuracy: 0.5, meanThinkTokens: 4 } });
    const r = thinkBudgetReport(SAMPLES, 8);
    expect(r.aucOaaEasy).toBeCloseTo(0.375, 12);
    expect(r.accuracyHard).toBe(0.5);
    expect(r.f1Otb).toBeCloseTo(3 / 7, 12);
    expect(() => thinkBudgetReport(EASY, 8)).toThrow(/need samples of both splits \(got 4 easy, 0 hard\)/);
    expect(() => aucOaa(EASY, 0)).toThrow(/t_max must be positive/);
  });
});
