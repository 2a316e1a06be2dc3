/**
 * The multi-step task's arithmetic as a step judge (src/rl/tasks/multiStep.ts): a step is right when it is the
 * correct continuation of the steps written before it — the previous result (or the first operand), the
 * problem's next operation and operand, and the right result — and the answer step `#x` repeats the last
 * result. Used as a rule judge for chunk-reset sampling without a trained judge, and as the analysis a step
 * judge's demonstration writes (the result it expects), which it can compute from what it is shown.
 */
import { ANSWER_MARK } from '../tasks/multiStep';
import type { StepJudge } from './chunkReset';
import type { StepLabel } from './stepData';

/** The step that correctly follows `history` for `problem` ("5+3*2=" after ["5+3=8"] → "8*2=16"; at the end "#16"). */
export function expectedStep(problem: string, history: readonly string[]): string {
  const tokens = problem.replace(/=$/, '').match(/\d+|[+\-*]/g);
  if (!tokens || tokens.length % 2 === 0) throw new Error(`multi-step rule: cannot read the problem "${problem}"`);
  const last = history[history.length - 1];
  const prev = last === undefined ? Number(tokens[0]) : Number(last.split('=')[1]);
  const k = 2 * history.length + 1;
  if (k >= tokens.length || !Number.isFinite(prev)) return `${ANSWER_MARK}${Number.isFinite(prev) ? prev : '?'}`;
  const op = tokens[k], n = Number(tokens[k + 1]);
  return `${prev}${op}${n}=${op === '+' ? prev + n : op === '-' ? prev - n : prev * n}`;
}

export function multiStepLabel(problem: string, history: readonly string[], step: string): StepLabel {
  return step === expectedStep(problem, history) ? 'positive' : 'negative';
}

/** The rule as a StepJudge. */
export const multiStepRuleJudge: StepJudge = async (problem, history, step) => multiStepLabel(problem, history, step);

/** A step judge's analysis for the multi-step task: the result (or answer) it expects the step to reach. */
export function multiStepAnalysis(problem: string, history: readonly string[]): string {
  const expected = expectedStep(problem, history);
  return expected.startsWith(ANSWER_MARK) ? expected.slice(ANSWER_MARK.length) : expected.split('=')[1];
}
