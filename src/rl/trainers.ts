/**
 * The training algorithms a run can pick (`run.algorithm`) and the trainer each one builds. A new algorithm is a
 * folder of its own beside grpo/, an entry here, and (when it has settings) a section of the run config.
 */
import type { Backend } from '../engine/backend';
import type { CharTokenizer } from '../model/tokenizer';
import type { Transformer } from '../model/transformer';
import { AggregationTrainer } from './aggregation/trainer';
import { withAggregationDemonstrations } from './aggregation/demonstrations';
import { GrpoTrainer } from './grpo/trainer';
import type { AsyncJudge } from './rewards';
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
  aggregation: (c) => new AggregationTrainer(c.be, c.policy, c.tokenizer, c.task, { ...c.run, evalN: c.run.eval.n }, c.modelJudge),
};

/** The task an algorithm's warm-start draws from, where it must teach more than the task (aggregation prompts). */
const WARM_START_TASKS: Partial<Record<Algorithm, (task: Task, run: RunConfig) => Task>> = {
  aggregation: (task, run) => withAggregationDemonstrations(task, run.aggregation),
};

export function warmStartTask(task: Task, run: RunConfig): Task {
  return WARM_START_TASKS[run.algorithm]?.(task, run) ?? task;
}

export function createTrainer(c: TrainerContext): Trainer {
  return FACTORIES[c.run.algorithm](c);
}
