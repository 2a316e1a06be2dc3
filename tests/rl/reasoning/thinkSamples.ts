/** Think-budget samples whose metrics the tests compute by hand. */
import type { ThinkSample } from '../../../src/rl/reasoning/thinkBudget';

// Easy: (correct, 0 think), (correct, 4), (wrong, 0), (correct, 12). Hard: (correct, 6), (wrong, 2).
export const SAMPLES: ThinkSample[] = [
  { split: 'easy', correct: true, thinkTokens: 0 },
  { split: 'easy', correct: true, thinkTokens: 4 },
  { split: 'easy', correct: false, thinkTokens: 0 },
  { split: 'easy', correct: true, thinkTokens: 12 },
  { split: 'hard', correct: true, thinkTokens: 6 },
  { split: 'hard', correct: false, thinkTokens: 2 },
];
