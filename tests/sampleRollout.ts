/** One plausible rollout record (1+2=3, answered correctly), for the run-file tests and their fuzzing. */
import type { RolloutRecord } from '../src/rl/trainer';

export const sampleRollout = (iteration: number, group: number): RolloutRecord => ({
  iteration,
  group,
  prompt: '1+2=',
  gold: '3',
  completion: '3',
  tokens: [7],
  logprobs: [-0.1],
  refLogprobs: null,
  entropies: [0.3],
  truncated: false,
  answer: '3',
  correct: true,
  reward: 1,
  parts: { correct: 1 },
  verdicts: { correct: { score: 1, label: 'correct', rationale: '3 = 3', parts: {} } },
  advantage: 0.5,
  actSeed: 11,
  minibatch: 0,
  pseudoLabel: null,
});
