/**
 * The training algorithms a run can pick (`run.algorithm`) and the trainer each one builds. A new algorithm is a
 * folder of its own beside grpo/, an entry here, and (when it has settings) a section of the run config.
 */
import type { Backend } from '../engine/backend';
import type { CharTokenizer } from '../model/tokenizer';
import type { Transformer } from '../model/transformer';
import { DpoTrainer } from './dpo/trainer';
import { AggregationTrainer } from './aggregation/trainer';
import { withAggregationDemonstrations } from './aggregation/demonstrations';
import { DistillTrainer } from './distill/trainer';
import { GrpoTrainer } from './grpo/trainer';
import { SelfInstructTrainer } from './selfInstruct/trainer';
import { proposerWarmStart } from './selfInstruct/warmStart';
import { DemonstrationStream, type DemonstrationSource } from './warmStart';
import { J1Trainer } from './judgeTraining/j1Trainer';
import { OnPolicyRmTrainer } from './judgeTraining/onPolicyTrainer';
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
  dpo: (c) => new DpoTrainer(c),
  'self-instruct': (c) => new SelfInstructTrainer(c.be, c.policy, c.tokenizer, c.task, c.run, c.modelJudge),
  aggregation: (c) => new AggregationTrainer(c.be, c.policy, c.tokenizer, c.task, { ...c.run, evalN: c.run.eval.n }, c.modelJudge),
  distill: (c) => new DistillTrainer(c.be, c.policy, c.tokenizer, c.task, c.run),
  j1: (c) => new J1Trainer(c),
  'onpolicy-rm': (c) => new OnPolicyRmTrainer(c),
  stepwiser: (c) => new StepwiserTrainer(c.be, c.policy, c.tokenizer, c.task, c.run),
};

export function createTrainer(c: TrainerContext): Trainer {
  return FACTORIES[c.run.algorithm](c);
}

/** What an algorithm changes in the warm-start's demonstrations (self-instruct: the proposal template; aggregation: aggregation prompts). */
const WARM_STARTS: Partial<Record<Algorithm, (run: RunConfig, task: Task, own: DemonstrationSource) => DemonstrationSource>> = {
  'self-instruct': proposerWarmStart,
  // Aggregation prompts over synthetic pools replace a share of the task's own demonstrations.
  aggregation: (run, task) => new DemonstrationStream(withAggregationDemonstrations(task, run.aggregation), run.difficulty, run.seed, run.sft.batch),
};

/** The warm-start's demonstrations of a run: the task's, as its algorithm mixes them. */
export function warmStartDemonstrations(run: RunConfig, task: Task): DemonstrationSource {
  const own = new DemonstrationStream(task, run.difficulty, run.seed, run.sft.batch);
  return WARM_STARTS[run.algorithm]?.(run, task, own) ?? own;
}
