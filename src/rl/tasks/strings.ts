/** String tasks: reversal, sorting of digits, parity of a bit string, counting a letter. */
import type { Rng } from '../../engine/rng';
import { exactMatch, firstLine, type Task } from './types';

function randomString(rng: Rng, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[rng.int(alphabet.length)];
  return s;
}

const lengthKnob = (max: number, def: number) => ({ name: 'length', label: 'input length', min: 1, max, default: def });

export const reversal: Task = {
  name: 'reversal',
  title: 'String reversal',
  description: 'Reverse a string of letters: "abc>" → "cba".',
  alphabet: 'abcdefgh>',
  knobs: [lengthKnob(16, 4)],
  generate(rng, d) {
    const s = randomString(rng, 'abcdefgh', d.length);
    const answer = [...s].reverse().join('');
    return { prompt: `${s}>`, answer, demonstration: answer };
  },
  extractAnswer: firstLine,
  verify: exactMatch,
};

export const sorting: Task = {
  name: 'sorting',
  title: 'Sorting',
  description: 'Sort digits in ascending order: "3142>" → "1234".',
  alphabet: '0123456789>',
  knobs: [lengthKnob(16, 4)],
  generate(rng, d) {
    const s = randomString(rng, '0123456789', d.length);
    const answer = [...s].sort().join('');
    return { prompt: `${s}>`, answer, demonstration: answer };
  },
  extractAnswer: firstLine,
  verify: exactMatch,
};

export const parity: Task = {
  name: 'parity',
  title: 'Parity',
  description: 'Parity of a bit string (1 when the number of ones is odd): "1011?" → "1".',
  alphabet: '01?',
  knobs: [lengthKnob(32, 6)],
  generate(rng, d) {
    const s = randomString(rng, '01', d.length);
    const answer = String([...s].filter((c) => c === '1').length % 2);
    return { prompt: `${s}?`, answer, demonstration: answer };
  },
  extractAnswer: firstLine,
  verify: exactMatch,
};

export const counting: Task = {
  name: 'counting',
  title: 'Counting',
  description: 'Count how often the letter after ":" occurs before it: "abaab:a=" → "3".',
  alphabet: 'abcd:=0123456789',
  knobs: [lengthKnob(20, 8)],
  generate(rng, d) {
    const s = randomString(rng, 'abcd', d.length);
    const letter = 'abcd'[rng.int(4)];
    const answer = String([...s].filter((c) => c === letter).length);
    return { prompt: `${s}:${letter}=`, answer, demonstration: answer };
  },
  extractAnswer: firstLine,
  verify: exactMatch,
};
