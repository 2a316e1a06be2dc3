/**
 * The closed-form pass@k and pass@k advantages against scripts/reference_pass_at_k.py, which enumerates every
 * k-subset of the group instead of using binomials (fixture tests/fixtures/pass-at-k/expected.json).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { passAtK, passAtKAdvantages } from '../../../src/rl/reasoning/passAtK';

interface Case {
  correct: boolean[];
  k: number;
  pass_at_k: number;
  advantages: number[];
}

const cases = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'pass-at-k', 'expected.json'), 'utf8')) as Case[];

describe('pass@k against the subset-enumerating reference', () => {
  it(`agrees on all ${cases.length} groups (N = 1..10, every k)`, () => {
    expect(cases.length).toBe(165);
    for (const c of cases) {
      const label = `${c.correct.map(Number).join('')} k=${c.k}`;
      expect(passAtK(c.correct.length, c.correct.filter(Boolean).length, c.k), label).toBeCloseTo(c.pass_at_k, 12);
      passAtKAdvantages(c.correct, c.k).forEach((a, i) => expect(a, `${label} #${i}`).toBeCloseTo(c.advantages[i], 12));
    }
  });
});
