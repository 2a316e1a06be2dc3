/**
 * The training algorithms a run can pick (`run.algorithm`) and the trainer each one builds. A new algorithm is a
 * folder of its own beside grpo/, an entry here, and (when it has settings) a section of the run config.
 */
import type { Backend } from '../engine/backend';
import type { CharTokenizer } from '../model/tokenizer';
import type { Transformer } from '../model/transformer';
import { GrpoTrainer } from './grpo/trainer';
import type { AsyncJudge } from './rewards';
import { StepwiserTrainer } from './stepwiser/trainer';
import type { Algorithm, RunConfig } from './runConfig';
import type { Task } from './tasks/types';
import type { Trainer } from './trainer';

/** What an experiment hands a trainer: the run, its warm-started policy and the task it samples from. */
export interface TrainerContext {
  be: Backend;
  run: RunConfig;
  policy: Transformer;
  tokenizer: CharTokenizer;
  task: Task;
  /** A judge for the model_judge reward component (an ONNX file, or a judge trained here). */
  modelJudge?: AsyncJudge;
}

const FACTORIES: Record<Algorithm, (c: TrainerContext) => Trainer> = {
  grpo: (c) => new GrpoTrainer(c.be, c.policy, c.tokenizer, c.task, c.run.difficulty, c.run.grpo, c.run.rewards, c.run.seed, c.run.iterations, c.modelJudge),
  stepwiser: (c) => new StepwiserTrainer(c.be, c.policy, c.tokenizer, c.task, c.run),
};

export function createTrainer(c: TrainerContext): Trainer {
  return FACTORIES[c.run.algorithm](c);
}
