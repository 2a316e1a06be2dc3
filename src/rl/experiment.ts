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
import type { Plot } from './plots';
import { thinkTokens, type ThinkSample } from './reasoning/thinkBudget';
import { thinkEvaluation } from './reasoning/thinkEval';
import type { IterationResult, Metrics, Trainer, TrainerState } from './trainer';
import { createTrainer, warmStartDemonstrations } from './trainers';
import { getTask } from './tasks/registry';
import { isCorrect, type Task, type TaskInstance } from './tasks/types';
import { warmStartTrainer, type DemonstrationSource } from './warmStart';
import { EVAL_SAMPLING_STREAM } from '../engine/streams';

export interface EvalMetrics {
  /** Greedy-decoding accuracy. */
  accuracy: number;
  /** Mean correctness of k sampled completions per prompt (pass@1 at the sampling temperature). */
  pass_at_1: number;
  /** Fraction of held-out prompts with at least one correct answer among k sampled completions. */
  pass_at_k: number;
  k: number;
  /** The task's own held-out measurements: the think-budget metrics (think/…) when its instances carry a split. */
  task?: Metrics;
  /** Their figures (src/rl/plots.ts). */
  plots?: Plot[];
}

/** An evaluation's metrics, named as the run logs them (iteration 0 is the baseline after the warm-start). */
export function heldOutMetrics(ev: EvalMetrics): Metrics {
  return { accuracy: ev.accuracy, 'pass@1': ev.pass_at_1, [`pass@${ev.k}`]: ev.pass_at_k, ...ev.task };
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
  private readonly demonstrations: DemonstrationSource;

  constructor(
    readonly be: Backend,
    readonly run: RunConfig,
    policy?: Transformer,
    /** A loaded ONNX judge for the model_judge reward (see src/rl/judges/modelJudge.ts). */
    readonly modelJudge?: AsyncJudge,
    /** The task the algorithm trains on when not the run's own (a saved self-instruct set); warm-start and held-out evaluation keep the run's. */
    readonly trainingTask?: Task,
  ) {
    this.task = getTask(run.task);
    this.tokenizer = new CharTokenizer(this.task.alphabet);
    this.policy = policy ?? Transformer.init(be, runModelConfig(run), run.seed);
    this.heldOut = heldOutInstances(this.task, run.difficulty, run.eval.n, run.seed);
    this.demonstrations = warmStartDemonstrations(run, this.task);
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
    this.trainer ??= createTrainer({ be: this.be, run: this.run, policy: this.policy, tokenizer: this.tokenizer, task: this.trainingTask ?? this.task, modelJudge: this.modelJudge });
    return this.trainer;
  }

  /** One iteration of the run's algorithm; held-out metrics are added every eval.every iterations. */
  async trainStep(): Promise<IterationResult & { eval: EvalMetrics | null }> {
    const trainer = this.algorithm();
    const result = await trainer.step();
    const due = trainer.iteration % this.run.eval.every === 0 || trainer.iteration === this.run.iterations;
    const ev = due ? await this.evaluate() : null;
    if (ev) {
      Object.assign(result.metrics, heldOutMetrics(ev));
      if (ev.plots) result.plots = [...(result.plots ?? []), ...ev.plots];
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

  /**
   * Greedy accuracy and sampled pass@k (k = num_generations) on the fixed held-out set, at the trained activation;
   * for a task with splits, the think-budget metrics of the sampled completions too.
   */
  async evaluate(): Promise<EvalMetrics> {
    const activation = this.trainedActivation();
    const greedy = await evaluate(this.be, this.policy, this.tokenizer, this.task, this.heldOut, { maxNewTokens: this.run.grpo.max_completion_length, activation });
    const k = this.run.grpo.num_generations;
    const prompts = groupedPrompts(this.tokenizer, this.heldOut.map((inst) => inst.prompt), k);
    const rollouts = await generate(this.be, this.policy, prompts, samplingOptions(this.run.grpo, this.run.seed, EVAL_SAMPLING_STREAM, activation));
    let passed = 0, correct = 0;
    const thinkSamples: ThinkSample[] = [];
    this.heldOut.forEach((inst, i) => {
      const completions = rollouts.slice(i * k, (i + 1) * k).map((r) => this.tokenizer.decode(r.tokens));
      const verdicts = completions.map((c) => isCorrect(this.task, this.task.extractAnswer(c), inst));
      const split = inst.split;
      if (split) completions.forEach((c, j) => thinkSamples.push({ split, correct: verdicts[j], thinkTokens: thinkTokens(c) }));
      const hits = verdicts.filter(Boolean).length;
      correct += hits;
      if (hits > 0) passed++;
    });
    const n = Math.max(1, this.heldOut.length);
    const ev: EvalMetrics = { accuracy: greedy.accuracy, pass_at_1: correct / (n * k), pass_at_k: passed / n, k };
    if (!thinkSamples.length) return ev;
    // Think budget t_max: the completion budget unless the run sets one.
    const think = thinkEvaluation(thinkSamples, this.run.eval.t_max ?? this.run.grpo.max_completion_length);
    return { ...ev, task: think.metrics, plots: think.plots };
  }
}
