/**
 * Countdown: reach the target with + − * over the given numbers, each used at most once:
 * "3,5,7>22=" → "3*5+7". Many expressions are correct; the verifier evaluates the expression and checks the
 * numbers used. The demonstration is the generator's own solution.
 */
import { verdict } from '../judges/verdict';
import { firstLine, type Task } from './types';

/** Evaluate an expression of integers with + − * and parentheses (no unary minus); returns the numbers used. */
export function evalExpression(text: string): { value: number; numbers: number[] } {
  let i = 0;
  const numbers: number[] = [];
  const fail = (msg: string): never => {
    throw new Error(`${msg} at position ${i}`);
  };
  const sum = (): number => {
    let v = product();
    while (text[i] === '+' || text[i] === '-') v = text[i++] === '+' ? v + product() : v - product();
    return v;
  };
  const product = (): number => {
    let v = atom();
    while (text[i] === '*') {
      i++;
      v *= atom();
    }
    return v;
  };
  const atom = (): number => {
    if (text[i] === '(') {
      i++;
      const v = sum();
      if (text[i++] !== ')') fail('expected ")"');
      return v;
    }
    const m = /^\d+/.exec(text.slice(i));
    if (!m) return fail(`unexpected "${text[i] ?? 'end'}"`);
    i += m[0].length;
    numbers.push(Number(m[0]));
    return Number(m[0]);
  };
  const value = sum();
  if (i !== text.length) fail(`unexpected "${text[i]}"`);
  return { value, numbers };
}

/** Whether `used` takes each of its numbers from `given`, none more often than given. */
export function usesAllowed(used: number[], given: number[]): boolean {
  const pool = [...given];
  return used.every((n) => {
    const k = pool.indexOf(n);
    if (k < 0) return false;
    pool.splice(k, 1);
    return true;
  });
}

export const countdown: Task = {
  name: 'countdown',
  title: 'Countdown',
  description: 'Combine the given numbers with + − * (each at most once) to reach the target.',
  alphabet: '0123456789+-*(),>=',
  knobs: [
    { name: 'numbers', label: 'numbers', min: 2, max: 5, default: 3 },
    { name: 'max', label: 'largest number', min: 5, max: 50, default: 9 },
  ],
  generate(rng, d) {
    const nums = Array.from({ length: d.numbers }, () => 1 + rng.int(d.max));
    // Build a solution left to right with random operators; its value is the target.
    let expr = String(nums[0]);
    for (let k = 1; k < nums.length; k++) {
      const op = ['+', '-', '*'][rng.int(3)];
      expr = op === '*' && /[+-]/.test(expr) ? `(${expr})*${nums[k]}` : `${expr}${op}${nums[k]}`;
    }
    const target = evalExpression(expr).value;
    const shuffled = [...nums].sort((a, b) => a - b);
    return { prompt: `${shuffled.join(',')}>${target}=`, answer: String(target), demonstration: expr };
  },
  extractAnswer: firstLine,
  verify(answer, inst) {
    if (answer === null) return verdict(0, 'no answer', 'no expression in the completion');
    const given = inst.prompt.split('>')[0].split(',').map(Number);
    let result;
    try {
      result = evalExpression(answer);
    } catch (e) {
      return verdict(0, 'unparseable', `cannot evaluate "${answer}": ${(e as Error).message}`);
    }
    if (!usesAllowed(result.numbers, given)) return verdict(0, 'wrong numbers', `"${answer}" uses numbers outside ${given.join(', ')} or reuses one`);
    return String(result.value) === inst.answer
      ? verdict(1, 'correct', `${answer} = ${result.value}`)
      : verdict(0, 'wrong', `${answer} = ${result.value}, not ${inst.answer}`);
  },
};
