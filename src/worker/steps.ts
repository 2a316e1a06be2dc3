/** StepWiser step values of one multi-step rollout under the current policy (src/rl/judges/stepwiser.ts). */
import type { Backend } from '../engine/backend';
import { STEP_VALUES_SEED_XOR } from '../engine/streams';
import { stepValues, type StepValue } from '../rl/judges/stepwiser';
import type { Experiment } from '../rl/experiment';
import { STEP_SEPARATOR } from '../rl/tasks/multiStep';
import type { StepValuesRequest } from './protocol';

/** Continuations per step prefix: enough for a readable Q̂ (steps of 1/8) at toy scale. */
const CONTINUATIONS = 8;

export async function judgeSteps(be: Backend, exp: Experiment, req: StepValuesRequest): Promise<StepValue[]> {
  if (!exp.task.alphabet.includes(STEP_SEPARATOR)) {
    throw new Error(`step values need a task with explicit steps (multi-step); "${exp.task.name}" has none`);
  }
  const { grpo, seed } = exp.run;
  return stepValues(be, exp.policy, exp.tokenizer, exp.task, { prompt: req.prompt, answer: req.gold, demonstration: '' }, req.completion, {
    M: CONTINUATIONS,
    gamma: 0.8,
    alpha: 0.8,
    bestOf: 4,
    maxNewTokens: grpo.max_completion_length,
    temperature: grpo.temperature,
    seed: seed ^ STEP_VALUES_SEED_XOR,
    separator: STEP_SEPARATOR,
  });
}
