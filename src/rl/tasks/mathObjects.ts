/**
 * Math objects in the spirit of Principia (docs/methods.md §6.1): the answer is a polynomial and any equivalent
 * surface form is correct ("x^2+2x+1", "1+2x+x^2", "(x+1)^2"), verified by exact normal form.
 *   derivative: "d/dx 3x^2-x+2=" → "6x-1"
 *   expansion:  "expand (x+2)(x-3)=" → "x^2-x-6"
 */
import type { Rng } from '../../engine/rng';
import { formatPoly, parsePoly, type Poly, Rational } from '../judges/polynomial';
import { polynomialVerdict } from '../judges/rules';
import { firstLine, type Task } from './types';

const ALPHABET = '0123456789x^+-*/()=depan ';

function randomPoly(rng: Rng, degree: number): Poly {
  const p: Poly = new Map();
  for (let k = 0; k <= degree; k++) {
    const c = rng.int(9) - 4;
    if (c !== 0 || k === degree) p.set(k, new Rational(BigInt(c === 0 ? 1 : c)));
  }
  return p;
}

function derivative(p: Poly): Poly {
  const out: Poly = new Map();
  for (const [k, c] of p) if (k > 0) out.set(k - 1, c.mul(new Rational(BigInt(k))));
  return out;
}

export const polyDerivative: Task = {
  name: 'derivative',
  title: 'Derivative of a polynomial',
  description: 'Differentiate a polynomial; any equivalent form of the result counts (exact symbolic check).',
  alphabet: ALPHABET,
  knobs: [{ name: 'degree', label: 'degree', min: 1, max: 5, default: 2 }],
  generate(rng, d) {
    const p = randomPoly(rng, d.degree);
    const answer = formatPoly(derivative(p));
    return { prompt: `d/dx ${formatPoly(p)}=`, answer, demonstration: answer };
  },
  extractAnswer: firstLine,
  verify: (answer, inst) => polynomialVerdict(answer, inst.answer),
};

function linearFactor(rng: Rng): string {
  const c = rng.int(9) - 4;
  return c === 0 ? 'x' : `x${c > 0 ? '+' : ''}${c}`;
}

export const polyExpansion: Task = {
  name: 'expansion',
  title: 'Expand a product',
  description: 'Expand a product of linear factors; any equivalent polynomial counts (exact symbolic check).',
  alphabet: ALPHABET,
  knobs: [{ name: 'factors', label: 'linear factors', min: 2, max: 4, default: 2 }],
  generate(rng, d) {
    const factors = Array.from({ length: d.factors }, () => `(${linearFactor(rng)})`).join('');
    const answer = formatPoly(parsePoly(factors));
    return { prompt: `expand ${factors}=`, answer, demonstration: answer };
  },
  extractAnswer: firstLine,
  verify: (answer, inst) => polynomialVerdict(answer, inst.answer),
};
