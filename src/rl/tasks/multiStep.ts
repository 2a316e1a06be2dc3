/**
 * Multi-step arithmetic with explicit steps (for step-level judging, StepWiser-style): a chain of operations
 * "5+3*2-4=" solved left to right, one step per line, then the answer:
 *   "5+3=8;8*2=16;16-4=12;#12"
 * Steps are separated by ';' and the final answer follows '#'. A step is correct when its arithmetic is right
 * and it continues from the previous result.
 */
import { exactMatchVerdict } from '../judges/rules';
import type { Task, TaskInstance } from './types';

export const STEP_SEPARATOR = ';';
export const ANSWER_MARK = '#';

export function solutionSteps(prompt: string): string[] {
  const tokens = prompt.replace(/=$/, '').match(/\d+|[+\-*]/g) ?? [];
  let acc = Number(tokens[0]);
  const steps: string[] = [];
  for (let k = 1; k < tokens.length; k += 2) {
    const op = tokens[k], n = Number(tokens[k + 1]);
    const next = op === '+' ? acc + n : op === '-' ? acc - n : acc * n;
    steps.push(`${acc}${op}${n}=${next}`);
    acc = next;
  }
  return steps;
}

/** The instance of a prompt "5+3*2=": its answer and its worked steps as the demonstration. */
export function multiStepInstance(prompt: string): TaskInstance {
  const steps = solutionSteps(prompt);
  const answer = steps.length ? steps[steps.length - 1].split('=')[1] : prompt.slice(0, -1);
  return { prompt, answer, demonstration: `${steps.join(STEP_SEPARATOR)}${STEP_SEPARATOR}${ANSWER_MARK}${answer}` };
}

export const multiStep: Task = {
  name: 'multi-step',
  title: 'Multi-step arithmetic',
  description: 'Apply operations left to right, writing each step ("5+3=8;8*2=16;#16"); step-level judging shows where it goes wrong.',
  alphabet: `0123456789+-*=${STEP_SEPARATOR}${ANSWER_MARK}`,
  knobs: [
    { name: 'steps', label: 'operations', min: 1, max: 6, default: 3 },
    { name: 'max', label: 'largest operand', min: 2, max: 9, default: 9 },
  ],
  generate(rng, d) {
    let prompt = String(1 + rng.int(d.max));
    for (let k = 0; k < d.steps; k++) prompt += `${'+-*'[rng.int(3)]}${1 + rng.int(d.max)}`;
    return multiStepInstance(`${prompt}=`);
  },
  extractAnswer(completion) {
    const k = completion.indexOf(ANSWER_MARK);
    if (k < 0) return null;
    const m = /^-?\d+/.exec(completion.slice(k + 1));
    return m ? String(Number(m[0])) : null;
  },
  verify: (answer, inst) => exactMatchVerdict(answer, inst.answer),
};
