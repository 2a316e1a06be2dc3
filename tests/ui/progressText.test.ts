/** The header's run read-out: status word, then the SFT step while warming, else the GRPO iteration. */
import { describe, expect, it } from 'vitest';
import { progressText, type ProgressFacts } from '../../src/ui/progressText';

const base: ProgressFacts = { status: 'idle', iteration: 0, iterations: 20, sftDone: false, sftStep: 0, sftSteps: 60 };

describe('progressText', () => {
  it.each([
    [{}, 'ready · iteration 0/20'],
    [{ status: 'warming', sftStep: 12 }, 'warm-starting · SFT step 12/60'],
    [{ status: 'paused', sftDone: true }, 'paused · warm-started · iteration 0/20'],
    [{ status: 'running', sftDone: true, iteration: 3 }, 'training · iteration 3/20'],
    [{ status: 'stepping', iteration: 4 }, 'stepping · iteration 4/20'],
    [{ status: 'done', iteration: 20 }, 'done · iteration 20/20'],
    [{ status: 'lost', iteration: 5 }, 'device lost · iteration 5/20'],
    [{ status: 'error', iteration: 7 }, 'error · iteration 7/20'],
  ] as const)('%j → %s', (facts, text) => {
    expect(progressText({ ...base, ...facts })).toBe(text);
  });
});
