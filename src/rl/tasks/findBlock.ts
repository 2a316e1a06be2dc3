/**
 * Find-the-block, the MTA paper's toy task scaled down as an RL task (docs/methods.md §1.7): blocks of N distinct letters joined by '.', then
 * '#' and L letters sampled from one target block; the answer is that block. Distractor blocks never contain
 * all query letters, so the answer is unique; solving it needs several tokens' worth of evidence at once.
 */
import type { Rng } from '../../engine/rng';
import { exactMatch, firstLine, type Task } from './types';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

function distinctLetters(rng: Rng, n: number): string {
  const pool = [...LETTERS];
  let s = '';
  for (let i = 0; i < n; i++) s += pool.splice(rng.int(pool.length), 1)[0];
  return s;
}

export const findBlock: Task = {
  name: 'find-block',
  title: 'Find the block',
  description: 'Blocks of distinct letters, then "#" and letters from one block: answer that block ("abc.dex#ae" style).',
  alphabet: `${LETTERS}.#=`,
  knobs: [
    { name: 'blocks', label: 'blocks', min: 2, max: 20, default: 4 },
    { name: 'blockLength', label: 'letters per block', min: 2, max: 8, default: 3 },
    { name: 'queryLength', label: 'query letters', min: 1, max: 4, default: 2 },
  ],
  generate(rng, d) {
    const L = Math.min(d.queryLength, d.blockLength);
    const target = distinctLetters(rng, d.blockLength);
    const query = [...target].filter(() => true);
    const picked: string[] = [];
    for (let i = 0; i < L; i++) picked.push(query.splice(rng.int(query.length), 1)[0]);
    const blocks = [target];
    while (blocks.length < d.blocks) {
      const b = distinctLetters(rng, d.blockLength);
      if (!picked.every((ch) => b.includes(ch))) blocks.push(b);
    }
    // Put the target at a random position among the distractors.
    const pos = rng.int(blocks.length);
    [blocks[0], blocks[pos]] = [blocks[pos], blocks[0]];
    return { prompt: `${blocks.join('.')}#${picked.join('')}=`, answer: target, demonstration: target };
  },
  extractAnswer: firstLine,
  verify: exactMatch,
};
