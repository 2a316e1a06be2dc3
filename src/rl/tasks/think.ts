/**
 * Think budget: arithmetic with an optional scratchpad, over an easy split (one-digit addition, where a direct
 * answer suffices) and a hard split (multi-step arithmetic, where the intermediate results help). docs/reasoning.md
 * describes the experiment; the metrics are in rl/reasoning/thinkBudget.ts.
 *
 * The scratchpad's markers are single characters of the alphabet, so each is one token:
 *   THINK_OPEN '{' is <think>, THINK_CLOSE '}' is </think>.
 * Warm-start modes (the `mode` knob):
 *   0 think-then-answer  easy "3+4=" → "{3+4=7}7"          hard "5+3*2=" → "{5+3=8;8*2=16}16"
 *   1 answer-only        easy "3+4=" → "7"                 hard "5+3*2=" → "16"
 *   2 mixed              the prompt starts with a mode character, MODE_THINK 'T' or MODE_NO_THINK 'N', and the
 *                        demonstration follows it: "N3+4=" → "7", "T5+3*2=" → "{5+3=8;8*2=16}16".
 *                        `mixRule` 0 thinks on hard prompts only (NaturalThoughts' difficulty-based mixing),
 *                        1 thinks on a random half of all prompts (so the mode character alone decides).
 * The answer is read only after the scratchpad: the text after the first '}' when there is one; with no '}' and
 * no '{' the completion is answer-only and its first line is the answer; an unclosed '{' has no answer.
 */
import type { Rng } from '../../engine/rng';
import { solutionSteps, STEP_SEPARATOR } from './multiStep';
import { exactMatch, firstLine, type Task, type TaskInstance } from './types';

export const THINK_OPEN = '{';
export const THINK_CLOSE = '}';
export const MODE_THINK = 'T';
export const MODE_NO_THINK = 'N';

export const THINK_MODES = ['think', 'answer-only', 'mixed'] as const;
export type ThinkMode = (typeof THINK_MODES)[number];

/** Display form for the UI: the markers as <think>/</think>, the mode characters as <mode:…>. */
export function displayThink(text: string): string {
  const names: Record<string, string> = {
    [THINK_OPEN]: '<think>',
    [THINK_CLOSE]: '</think>',
    [MODE_THINK]: '<mode:think>',
    [MODE_NO_THINK]: '<mode:no-think>',
  };
  return [...text].map((ch) => names[ch] ?? ch).join('');
}

/** The prompt with its mode character set to `think` (adds one when the prompt has none): forced Think / No-think. */
export function withModeChar(prompt: string, think: boolean): string {
  const body = prompt[0] === MODE_THINK || prompt[0] === MODE_NO_THINK ? prompt.slice(1) : prompt;
  return `${think ? MODE_THINK : MODE_NO_THINK}${body}`;
}

export const thinkBudget: Task = {
  name: 'think-budget',
  title: 'Think budget (easy/hard arithmetic)',
  description:
    'One-digit sums (easy) mixed with multi-step arithmetic (hard); a {…} scratchpad (<think>…</think>) may precede the answer, which is read after it.',
  alphabet: `0123456789+-*=${STEP_SEPARATOR}${THINK_OPEN}${THINK_CLOSE}${MODE_THINK}${MODE_NO_THINK}`,
  knobs: [
    { name: 'hardPercent', label: 'hard prompts (%)', min: 0, max: 100, default: 50 },
    { name: 'steps', label: 'operations on hard prompts', min: 2, max: 4, default: 2 },
    { name: 'mode', label: 'warm-start mode (0 think, 1 answer-only, 2 mixed)', min: 0, max: 2, default: 0 },
    { name: 'mixRule', label: 'mixed mode thinks on (0 hard prompts, 1 a random half)', min: 0, max: 1, default: 0 },
  ],
  generate(rng, d) {
    const hard = rng.int(100) < d.hardPercent;
    const problem = hard ? hardProblem(rng, d.steps) : `${rng.int(10)}+${rng.int(10)}`;
    const steps = solutionSteps(problem);
    const answer = steps[steps.length - 1].split('=')[1];
    const mode = THINK_MODES[d.mode];
    const think = mode === 'think' || (mode === 'mixed' && (d.mixRule === 0 ? hard : rng.int(2) === 1));
    const prompt = mode === 'mixed' ? withModeChar(`${problem}=`, think) : `${problem}=`;
    const demonstration = think ? `${THINK_OPEN}${steps.join(STEP_SEPARATOR)}${THINK_CLOSE}${answer}` : answer;
    return { prompt, answer, demonstration, split: hard ? 'hard' : 'easy' } satisfies TaskInstance;
  },
  extractAnswer(completion) {
    const close = completion.indexOf(THINK_CLOSE);
    if (close < 0 && completion.includes(THINK_OPEN)) return null;
    const line = firstLine(completion.slice(close + 1));
    return line !== null && /^-?\d+$/.test(line) ? String(Number(line)) : null;
  },
  verify: exactMatch,
};

/** Operands 1–9 joined by + − *, `ops` operations, solved left to right. */
function hardProblem(rng: Rng, ops: number): string {
  let problem = String(1 + rng.int(9));
  for (let k = 0; k < ops; k++) problem += `${'+-*'[rng.int(3)]}${1 + rng.int(9)}`;
  return problem;
}
