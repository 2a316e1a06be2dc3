/** k-digit addition and multiplication: "37+45=" → "82". */
import type { Rng } from '../../engine/rng';
import { exactMatch, firstLine, type Task } from './types';

function number(rng: Rng, digits: number): number {
  const lo = digits === 1 ? 0 : 10 ** (digits - 1);
  return lo + rng.int(10 ** digits - lo);
}

function arithmetic(op: '+' | '*'): Task {
  const name = op === '+' ? 'addition' : 'multiplication';
  return {
    name,
    title: op === '+' ? 'Addition' : 'Multiplication',
    description: `Compute a ${op === '+' ? 'sum' : 'product'} of two k-digit numbers; exact match of the result.`,
    alphabet: `0123456789${op}=`,
    knobs: [{ name: 'digits', label: 'digits per operand', min: 1, max: 6, default: 2 }],
    generate(rng, d) {
      const a = number(rng, d.digits), b = number(rng, d.digits);
      const answer = String(op === '+' ? a + b : a * b);
      return { prompt: `${a}${op}${b}=`, answer, demonstration: answer };
    },
    extractAnswer: (c) => {
      const line = firstLine(c);
      return line !== null && /^\d+$/.test(line) ? String(Number(line)) : null;
    },
    verify: exactMatch,
  };
}

export const addition = arithmetic('+');
export const multiplication = arithmetic('*');
