/** The header's one-line run read-out, e.g. "training · iteration 3/20"; pure so it is tested without a page. */
import type { RunStatus } from '../worker/protocol';

export interface ProgressFacts {
  status: RunStatus;
  iteration: number;
  /** GRPO iterations of the applied config. */
  iterations: number;
  sftDone: boolean;
  /** SFT steps done and planned; while warming these are the numbers worth watching. */
  sftStep: number;
  sftSteps: number;
}

/** The status in words; the run controls' pill shows the same. */
export const STATUS_WORD: Record<RunStatus, string> = {
  idle: 'ready',
  warming: 'warm-starting',
  running: 'training',
  stepping: 'stepping',
  paused: 'paused',
  done: 'done',
  lost: 'device lost',
  error: 'error',
};

export function progressText(f: ProgressFacts): string {
  if (f.status === 'warming') return `${STATUS_WORD.warming} · SFT step ${f.sftStep}/${f.sftSteps}`;
  // Paused right after the warm-start: say so, or "iteration 0" alone reads as if nothing happened.
  const sft = f.sftDone && f.iteration === 0 ? ' · warm-started' : '';
  return `${STATUS_WORD[f.status]}${sft} · iteration ${f.iteration}/${f.iterations}`;
}
