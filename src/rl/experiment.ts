/**
 * One experiment from a RunConfig: the policy, SFT warm-start on task demonstrations, iterations of the run's
 * algorithm (src/rl/trainers.ts) and held-out evaluation. The CLI, the Web Worker and the tests drive it the same way.
 */
import type { Backend } from '../engine/backend';
import type { FfnActivation } from '../model/config';
import { generate } from '../model/generate';
import type { SftStepMetrics } from '../model/sft';
import { CharTokenizer } from '../model/tokenizer';
import { Transformer } from '../model/transformer';
import { readWeights, writeWeights, type Weights } from '../model/weights';
import { evaluate, heldOutInstances } from './evaluate';
import type { AsyncJudge } from './rewards';
import { runModelConfig, type RunConfig } from './runConfig';
import { groupedPrompts, samplingOptions } from './sampling';
import type { IterationResult, Trainer, TrainerState } from './trainer';
import { createTrainer, warmStartTask } from './trainers';
import { getTask } from './tasks/registry';
import { isCorrect, type Task, type TaskInstance } from './tasks/types';
import { DemonstrationStream, warmStartTrainer } from './warmStart';
import { EVAL_SAMPLING_STREAM } from '../engine/streams';

export interface EvalMetrics {
  /** Greedy-decoding accuracy. */
  accuracy: number;
  /** Mean correctness of k sampled completions per prompt (pass@1 at the sampling temperature). */
  pass_at_1: number;
  /** Fraction of held-out prompts with at least one correct answer among k sampled completions. */
  pass_at_k: number;
  k: number;
}

/** A run's progress in host memory: the policy and, once training has started, the trainer's state. */
export interface ExperimentState {
  policy: Weights;
  trainer: TrainerState | null;
}

export class Experiment {
  readonly task: Task;
  readonly tokenizer: CharTokenizer;
  readonly policy: Transformer;
  readonly heldOut: TaskInstance[];
  private trainer: Trainer | null = null;
  private readonly demonstrations: DemonstrationStream;

  constructor(
    readonly be: Backend,
    readonly run: RunConfig,
    policy?: Transformer,
    /** A loaded ONNX judge for the model_judge reward (see src/rl/judges/modelJudge.ts). */
    readonly modelJudge?: AsyncJudge,
  ) {
    this.task = getTask(run.task);
    this.tokenizer = new CharTokenizer(this.task.alphabet);
    this.policy = policy ?? Transformer.init(be, runModelConfig(run), run.seed);
    this.heldOut = heldOutInstances(this.task, run.difficulty, run.eval.n, run.seed);
    this.demonstrations = new DemonstrationStream(warmStartTask(this.task, run), run.difficulty, run.seed, run.sft.batch);
  }

  /** SFT warm-start (src/rl/warmStart.ts); calls onStep after every step. */
  async warmStart(onStep?: (m: SftStepMetrics) => void | Promise<void>): Promise<SftStepMetrics[]> {
    const trainer = warmStartTrainer(this.be, this.policy, this.tokenizer, this.run.sft);
    const out: SftStepMetrics[] = [];
    for (let s = 0; s < this.run.sft.steps; s++) {
      const m = await trainer.step(this.demonstrations.next());
      out.push(m);
      await onStep?.(m);
    }
    return out;
  }

  /** Read the state back from the device (between steps only). */
  async saveState(): Promise<ExperimentState> {
    return { policy: await readWeights(this.be, this.policy), trainer: this.trainer ? await this.trainer.saveState() : null };
  }

  /** Continue from a saved state of an experiment with the same run config (e.g. on a fresh backend). */
  loadState(state: ExperimentState): void {
    writeWeights(this.be, this.policy, state.policy);
    if (state.trainer) this.algorithm().loadState(state.trainer);
  }

  private algorithm(): Trainer {
    this.trainer ??= createTrainer({ be: this.be, run: this.run, policy: this.policy, tokenizer: this.tokenizer, task: this.task, modelJudge: this.modelJudge });
    return this.trainer;
  }

  /** One iteration of the run's algorithm; held-out metrics are added every eval.every iterations. */
  async trainStep(): Promise<IterationResult & { eval: EvalMetrics | null }> {
    const trainer = this.algorithm();
    const result = await trainer.step();
    const due = trainer.iteration % this.run.eval.every === 0 || trainer.iteration === this.run.iterations;
    const ev = due ? await this.evaluate() : null;
    if (ev) {
      result.metrics.accuracy = ev.accuracy;
      result.metrics['pass@1'] = ev.pass_at_1;
      result.metrics[`pass@${ev.k}`] = ev.pass_at_k;
      // What the algorithm measures of its own on the held-out set (a judge's accuracy, a student's), when due.
      const own = await trainer.evaluate?.();
      if (own) {
        Object.assign(result.metrics, own.metrics);
        result.plots = [...(result.plots ?? []), ...(own.plots ?? [])];
      }
    }
    return { ...result, eval: ev };
  }

  /** The FFN activation the policy was last trained with: after Swi+FT's switch, RELU. */
  private trainedActivation(): FfnActivation {
    const t = this.trainer;
    return t && t.iteration > 0 ? t.activationAt(t.iteration - 1) : this.policy.config.activation;
  }

  /** Greedy accuracy and sampled pass@k (k = num_generations) on the fixed held-out set, at the trained activation. */
  async evaluate(): Promise<EvalMetrics> {
    const activation = this.trainedActivation();
    const greedy = await evaluate(this.be, this.policy, this.tokenizer, this.task, this.heldOut, { maxNewTokens: this.run.grpo.max_completion_length, activation });
    const k = this.run.grpo.num_generations;
    const prompts = groupedPrompts(this.tokenizer, this.heldOut.map((inst) => inst.prompt), k);
    const rollouts = await generate(this.be, this.policy, prompts, samplingOptions(this.run.grpo, this.run.seed, EVAL_SAMPLING_STREAM, activation));
    let passed = 0, correct = 0;
    this.heldOut.forEach((inst, i) => {
      const hits = rollouts.slice(i * k, (i + 1) * k).filter((r) => isCorrect(this.task, this.task.extractAnswer(this.tokenizer.decode(r.tokens)), inst)).length;
      correct += hits;
      if (hits > 0) passed++;
    });
    const n = Math.max(1, this.heldOut.length);
    return { accuracy: greedy.accuracy, pass_at_1: correct / (n * k), pass_at_k: passed / n, k };
  }
}
