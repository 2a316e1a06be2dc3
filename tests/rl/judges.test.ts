import { describe, expect, it } from 'vitest';
import { biasedScore, NEUTRAL_JUDGE } from '../../src/rl/judges/biased';
import { judgePair } from '../../src/rl/judges/pairwise';
import { formatPoly, parsePoly, polyEquals } from '../../src/rl/judges/polynomial';
import { exactMatchVerdict, numericVerdict, polynomialVerdict, softOverlong } from '../../src/rl/judges/rules';

describe('symbolic equivalence of polynomials', () => {
  const equivalent: Array<[string, string]> = [
    ['3x^2-2x+1', '1 - 2x + 3x^2'],
    ['(x+1)^2', 'x^2+2x+1'],
    ['x(x-1)', 'x*x - x'],
    ['2*(x+3)/2', 'x+3'],
    ['-(x-1)', '1-x'],
    ['1/2x+1/2', '(x+1)/2'],
    ['0', 'x-x'],
  ];
  for (const [a, b] of equivalent) {
    it(`"${a}" ≡ "${b}"`, () => {
      expect(polyEquals(parsePoly(a), parsePoly(b))).toBe(true);
      expect(polynomialVerdict(a, b).score).toBe(1);
    });
  }
  it('tells non-equivalent forms apart and says why', () => {
    expect(polyEquals(parsePoly('(x+1)^2'), parsePoly('x^2+1'))).toBe(false);
    const v = polynomialVerdict('x^2+1', '(x+1)^2');
    expect(v.score).toBe(0);
    expect(v.rationale).toContain('x^2+2x+1');
  });
  it('formats a canonical normal form and reports parse errors with a position', () => {
    expect(formatPoly(parsePoly('1/2 + x^3 - 2x'))).toBe('x^3-2x+1/2');
    expect(polynomialVerdict('x^^2', 'x').label).toBe('unparseable');
    expect(() => parsePoly('x/(x+1)')).toThrow(/only division by a constant/);
  });
});

describe('rule verifiers and shaping', () => {
  it('exact match and numeric tolerance', () => {
    expect(exactMatchVerdict('12', '12').score).toBe(1);
    expect(exactMatchVerdict(null, '12').label).toBe('no answer');
    expect(numericVerdict('3.14', Math.PI, 0.01).score).toBe(1);
    expect(numericVerdict('3.2', Math.PI, 0.01).score).toBe(0);
  });
  it('soft overlong punishment ramps from 0 to −1', () => {
    expect(softOverlong(10, 20, 5).score).toBe(0);
    expect(softOverlong(15, 20, 5).score).toBe(0);
    expect(softOverlong(18, 20, 5).score).toBeCloseTo(-0.6, 9);
    expect(softOverlong(20, 20, 5).score).toBe(-1);
    expect(softOverlong(25, 20, 5).score).toBe(-1);
  });
});

describe('biased and pairwise judges', () => {
  it('adds length and keyword bias on top of correctness', () => {
    const s = { ...NEUTRAL_JUDGE, lengthBias: 0.1, keywordBias: 2, keyword: 'sure' };
    expect(biasedScore('abc', true, s).score).toBeCloseTo(1.3, 9);
    expect(biasedScore('sure', false, s).score).toBeCloseTo(2.4, 9);
  });
  it('noise flips a fraction of verdicts, deterministically', () => {
    const s = { ...NEUTRAL_JUDGE, noise: 0.3, seed: 4 };
    const flips = Array.from({ length: 2000 }, (_, i) => biasedScore(`c${i}`, true, s).parts.correctness === 0).filter(Boolean).length;
    expect(flips / 2000).toBeGreaterThan(0.25);
    expect(flips / 2000).toBeLessThan(0.35);
    expect(biasedScore('c1', true, s)).toEqual(biasedScore('c1', true, s));
  });
  it('a neutral judge is position-consistent and picks the correct response', () => {
    const r = judgePair({ completion: '4', correct: false }, { completion: '5', correct: true }, NEUTRAL_JUDGE);
    expect(r).toMatchObject({ forward: 'B', backward: 'B', consistent: true, winner: 'B', winnerCorrect: true });
    expect(r.verdictB.score).toBe(1);
    expect(r.verdictA.score).toBe(0);
  });
  it('a strong position bias makes the judge inconsistent, which earns no reward', () => {
    const r = judgePair({ completion: '4', correct: false }, { completion: '5', correct: true }, { ...NEUTRAL_JUDGE, positionBias: 2 });
    expect(r).toMatchObject({ forward: 'A', backward: 'B', consistent: false, winner: null });
    expect(r.verdictA.score + r.verdictB.score).toBe(0);
    expect(r.verdictA.label).toBe('inconsistent');
  });
});

describe('StepWiser labels and the pointwise judge', () => {
  it('labels steps by Abs-Q, Rel-Ratio and Rel-Effective', async () => {
    const { stepLabels } = await import('../../src/rl/judges/stepwiser');
    // Q̂: prompt 0.5, then steps 0.75 (good), 0.25 (a mistake), 0 (lost), 0 (still lost).
    const labels = stepLabels([0.5, 0.75, 0.25, 0, 0], { gamma: 0.8, alpha: 0.8, bestOf: 4 });
    expect(labels.map((l) => l.absQ)).toEqual([true, true, false, false]);
    expect(labels.map((l) => l.relRatio)).toEqual([true, false, false, true]);
    const qmu = (x: number) => 1 - (1 - x) ** 4;
    expect(labels[1].relEffective).toBe(0.25 + 0.8 * (qmu(0.25) - qmu(0.75)) > 0);
    expect(labels.map((l) => l.relEffective)).toEqual([true, false, false, false]);
  });
  it('scores 0-10 with the judge biases', async () => {
    const { pointwiseScore } = await import('../../src/rl/judges/pointwise');
    expect(pointwiseScore('12', true, NEUTRAL_JUDGE).score).toBe(10);
    expect(pointwiseScore('12', false, NEUTRAL_JUDGE).score).toBe(0);
    expect(pointwiseScore('12 ok', false, { ...NEUTRAL_JUDGE, keyword: 'ok', keywordBias: 0.64 }).score).toBe(6.4);
  });
});
