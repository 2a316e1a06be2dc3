/**
 * Trace-selection distillation (docs/reasoning.md, "Trace-selection distillation"; NaturalThoughts, arXiv 2507.01921). The run's warm-started
 * policy is the teacher and never changes. The first iteration prepares, once:
 *   1. the second model: an answer-only policy warm-started here (for the disagreement selector);
 *   2. the pool: one teacher trace per fresh prompt, with the second model's answer; the usable traces (those
 *      with an answer, or the correct ones) are ordered by the selector (rl/reasoning/traceSelection.ts), and the
 *      first `budget` of that order are the student's, so every prefix is itself a selection of its size.
 * Every iteration then hands the student, a freshly initialised model of the policy's size, the next chunk of
 * ⌈budget / iterations⌉ selected traces and takes `steps_per_iteration` SFT steps on minibatches drawn from
 * everything handed over so far; evaluate() measures it on the held-out set. So the student's accuracy over
 * iterations is its accuracy against the number of examples, at the same compute for every selector.
 */
import type { Backend } from '../../engine/backend';
import { Rng } from '../../engine/rng';
import { DISTILL_BATCH_STREAM, DISTILL_SECOND_SEED_XOR, DISTILL_STUDENT_SEED_XOR } from '../../engine/streams';
import type { FfnActivation } from '../../model/config';
import { SftTrainer, DEFAULT_SFT, type SftStepMetrics } from '../../model/sft';
import type { CharTokenizer } from '../../model/tokenizer';
import { Transformer } from '../../model/transformer';
import { readWeights, writeWeights } from '../../model/weights';
import { evaluate, heldOutInstances } from '../evaluate';
import type { Plot, PlotPoint } from '../plots';
import { selectTraces, strategyPattern } from '../reasoning/traceSelection';
import type { RunConfig } from '../runConfig';
import type { Task, TaskInstance } from '../tasks/types';
import type { IterationResult, Metrics, RolloutRecord, Trainer, TrainerState } from '../trainer';
import { distillProblems, type DistillConfig } from './config';
import { poolSlice, sampleTeacherPool, secondAnswers, studentExample, studentPrompt, trainSecondModel, usableTraces, type PoolTrace } from './pool';

/** Names of the extra models in a saved state (TrainerState.models). */
export const DISTILL_MODELS = { student: 'student', second: 'second' } as const;

/** Plot ids (the app keeps the latest of each). */
export const DISTILL_PLOTS = { examples: 'distill/accuracy-vs-examples', tokens: 'distill/tokens-vs-accuracy' } as const;

interface Prepared {
  pool: PoolTrace[];
  /** The student's traces in the order they are handed over (the selector's first `budget`). */
  selected: PoolTrace[];
}

export class DistillTrainer implements Trainer {
  iteration = 0;
  readonly student: Transformer;
  readonly second: Transformer;
  readonly cfg: DistillConfig;
  private readonly studentSft: SftTrainer;
  private readonly heldOut: TaskInstance[];
  private prepared: Prepared | null = null;
  /** Whether the second model holds its trained weights (trained in the first iteration, or loaded). */
  private secondReady = false;
  /** (examples, accuracy) at each evaluation since this trainer was built. */
  private readonly curve: PlotPoint[] = [];

  constructor(
    readonly be: Backend,
    /** The run's warm-started policy: the teacher. */
    readonly teacher: Transformer,
    readonly tokenizer: CharTokenizer,
    readonly task: Task,
    readonly run: RunConfig,
  ) {
    this.cfg = run.distill;
    const problems = distillProblems(this.cfg);
    if (problems.length) throw new Error(`invalid distill config: ${problems.map((p) => `distill.${p}`).join('; ')}`);
    if (this.cfg.budget > this.cfg.pool) throw new Error(`distill.budget (${this.cfg.budget}) cannot exceed distill.pool (${this.cfg.pool})`);
    this.student = Transformer.init(be, teacher.config, run.seed ^ DISTILL_STUDENT_SEED_XOR);
    this.second = Transformer.init(be, teacher.config, run.seed ^ DISTILL_SECOND_SEED_XOR);
    const totalSteps = Math.max(1, run.iterations * this.cfg.steps_per_iteration);
    // Constant learning rate (no warm-up, floor = peak): the curve over examples is not shaped by a decay.
    this.studentSft = new SftTrainer(be, this.student, tokenizer, { ...DEFAULT_SFT, steps: totalSteps, lr: this.cfg.learning_rate, warmupSteps: 0, minLrRatio: 1 }, this.student.config.activation);
    this.heldOut = heldOutInstances(task, run.difficulty, run.eval.n, run.seed);
  }

  /** Traces handed to the student per iteration. */
  get chunk(): number {
    return Math.ceil(this.cfg.budget / Math.max(1, this.run.iterations));
  }

  /** Traces the student has been handed after `iterations` iterations. */
  examplesAfter(iterations: number): number {
    return Math.min(this.cfg.budget, iterations * this.chunk);
  }

  async step(): Promise<IterationResult> {
    const t0 = performance.now();
    const { pool, selected } = await this.prepare();
    const from = this.examplesAfter(this.iteration), to = this.examplesAfter(this.iteration + 1);
    const handed = selected.slice(0, to);
    const steps = await this.trainStudent(handed);
    const metrics: Metrics = {
      'student/examples': to,
      'distill/pool_accuracy': mean(pool.map((t) => Number(t.correct))),
      'distill/pool_disagreement': mean(pool.map((t) => Number(t.teacherAnswer !== t.secondAnswer))),
      'distill/usable': usableTraces(pool, this.cfg.correct_only).length,
      ...handedMetrics(handed),
      step_time: (performance.now() - t0) / 1000,
    };
    if (steps.length) {
      metrics.loss = mean(steps.map((s) => s.loss));
      metrics.grad_norm = mean(steps.map((s) => s.gradNorm));
    }
    const rollouts = selected.slice(from, to).map((t, k) => this.record(t, k));
    Object.assign(metrics, chunkMetrics(rollouts));
    this.iteration++;
    return { metrics, rollouts };
  }

  /** The student's held-out accuracy and tokens (for mixed targets, also with thinking forced on and off), and the plots. */
  async evaluate(): Promise<{ metrics: Metrics; plots: Plot[] }> {
    const { targets } = this.cfg;
    const examples = this.examplesAfter(this.iteration);
    const main = await this.evaluateStudent();
    const metrics: Metrics = { 'student/examples': examples, 'student/accuracy': main.accuracy, 'student/tokens': main.tokens, 'student/accuracy_easy': main.easy, 'student/accuracy_hard': main.hard };
    const points: Array<{ label: string; x: number; y: number }> = [{ label: targets === 'mixed' ? 'mixed (adaptive)' : targets, x: main.tokens, y: main.accuracy }];
    if (targets === 'mixed') {
      for (const force of ['think', 'no-think'] as const) {
        const forced = await this.evaluateStudent(force);
        const key = force.replace('-', '_');
        metrics[`student/accuracy_${key}`] = forced.accuracy;
        metrics[`student/tokens_${key}`] = forced.tokens;
        points.push({ label: `mixed (${force})`, x: forced.tokens, y: forced.accuracy });
      }
    }
    this.curve.push({ x: examples, y: main.accuracy });
    const plots: Plot[] = [
      { id: DISTILL_PLOTS.examples, title: 'student accuracy vs examples', xLabel: 'traces handed to the student', yLabel: 'held-out accuracy', kind: 'line', unit: true, series: [{ label: this.cfg.selector, points: [...this.curve] }] },
      { id: DISTILL_PLOTS.tokens, title: 'student tokens vs accuracy per mode', xLabel: 'mean completion tokens', yLabel: 'held-out accuracy', kind: 'scatter', unit: true, series: points.map((p) => ({ label: p.label, points: [{ x: p.x, y: p.y }] })) },
    ];
    return { metrics, plots };
  }

  /** The teacher is not trained: it runs with the activation it was warm-started with. */
  activationAt(): FfnActivation {
    return this.teacher.config.activation;
  }

  async saveState(): Promise<TrainerState> {
    const optimizer = await this.studentSft.saveState();
    return {
      iteration: this.iteration,
      optimizerSteps: optimizer.steps,
      rngPosition: 0,
      optimizer,
      frozen: null,
      models: { [DISTILL_MODELS.student]: await readWeights(this.be, this.student), [DISTILL_MODELS.second]: await readWeights(this.be, this.second) },
    };
  }

  /**
   * Continue from a saved state. The pool is not saved: the next iteration samples it again from the teacher (the
   * policy's saved weights) and the saved second model, which gives the same pool on the same backend.
   */
  loadState(state: TrainerState): void {
    const student = state.models?.[DISTILL_MODELS.student], second = state.models?.[DISTILL_MODELS.second];
    if (!student || !second) throw new Error('distill: the saved trainer state has no student or second model (was it saved by another algorithm?)');
    writeWeights(this.be, this.student, student);
    writeWeights(this.be, this.second, second);
    this.studentSft.loadState(state.optimizer);
    this.iteration = state.iteration;
    this.secondReady = state.iteration > 0;
    this.prepared = null;
  }

  /** The second model, the pool and its selection, made once (again after a resume). */
  private async prepare(): Promise<Prepared> {
    if (this.prepared) return this.prepared;
    const { be, tokenizer: tok, task, run, cfg } = this;
    if (!this.secondReady) {
      await trainSecondModel(be, this.second, tok, task, { difficulty: run.difficulty, steps: cfg.second_steps, batch: run.sft.batch, lr: run.sft.lr, seed: run.seed });
      this.secondReady = true;
    }
    const slice = poolSlice(run.grpo, run.eval.n);
    const sampled = await sampleTeacherPool(be, this.teacher, tok, task, { difficulty: run.difficulty, size: cfg.pool, slice, sampling: run.grpo, seed: run.seed, activation: this.activationAt() });
    const answers = await secondAnswers(be, this.second, tok, task, sampled.map((t) => t.instance), { maxNewTokens: run.grpo.max_completion_length, slice });
    const pool: PoolTrace[] = sampled.map((t, i) => ({ ...t, secondAnswer: answers[i] }));
    const usable = usableTraces(pool, cfg.correct_only);
    if (usable.length < cfg.budget) {
      throw new Error(
        `distill: the teacher wrote ${usable.length} ${cfg.correct_only ? 'correct ' : ''}traces with an answer out of ${cfg.pool}, fewer than the budget of ${cfg.budget}: raise distill.pool, lower distill.budget, or warm-start the teacher longer`,
      );
    }
    const order = selectTraces(usable, cfg.selector, { seed: run.seed, budget: cfg.budget, tau: cfg.tau, ...(cfg.length_scale > 0 ? { lengthScale: cfg.length_scale } : {}) });
    this.prepared = { pool, selected: order.map((i) => usable[i]) };
    return this.prepared;
  }

  /** `steps_per_iteration` SFT steps on minibatches drawn uniformly from the traces handed over so far. */
  private async trainStudent(handed: readonly PoolTrace[]): Promise<SftStepMetrics[]> {
    if (!handed.length) return [];
    const rng = new Rng(this.run.seed, DISTILL_BATCH_STREAM).split(this.iteration);
    const out: SftStepMetrics[] = [];
    for (let s = 0; s < this.cfg.steps_per_iteration; s++) {
      const batch = Array.from({ length: this.cfg.batch }, () => studentExample(handed[rng.int(handed.length)], this.cfg.targets));
      out.push(await this.studentSft.step(batch));
    }
    return out;
  }

  private async evaluateStudent(force?: 'think' | 'no-think'): Promise<{ accuracy: number; tokens: number; easy: number; hard: number }> {
    const asked = this.heldOut.map((inst) => ({ ...inst, prompt: studentPrompt(inst, this.cfg.targets, force) }));
    const { accuracy, samples } = await evaluate(this.be, this.student, this.tokenizer, this.task, asked, { maxNewTokens: this.run.grpo.max_completion_length });
    const splitAccuracy = (split: string) => mean(samples.filter((s) => s.instance.split === split).map((s) => Number(s.correct)));
    return { accuracy, tokens: mean(samples.map((s) => [...s.completion].length)), easy: splitAccuracy('easy'), hard: splitAccuracy('hard') };
  }

  /** A handed-over trace as the rollout inspector shows it: the teacher's sample, reward 1 when correct. */
  private record(t: PoolTrace, group: number): RolloutRecord {
    return {
      iteration: this.iteration,
      group,
      prompt: t.instance.prompt,
      gold: t.instance.answer,
      completion: t.text,
      tokens: t.rollout.tokens,
      logprobs: t.rollout.logprobs,
      refLogprobs: null,
      entropies: t.rollout.entropies,
      truncated: t.rollout.truncated,
      answer: t.teacherAnswer,
      correct: t.correct,
      reward: Number(t.correct),
      parts: { correct: Number(t.correct) },
      verdicts: {},
      advantage: 0,
      actSeed: t.rollout.actSeed,
      minibatch: 0,
      pseudoLabel: null,
    };
  }
}

/** What the student has been handed so far: mean length, share of hard prompts, of disagreements, distinct patterns. */
export function handedMetrics(handed: readonly PoolTrace[]): Metrics {
  return {
    'distill/trace_length': mean(handed.map((t) => [...t.text].length)),
    'distill/hard_share': mean(handed.map((t) => Number(t.instance.split === 'hard'))),
    'distill/disagreement_share': mean(handed.map((t) => Number(t.teacherAnswer !== t.secondAnswer))),
    'distill/patterns': new Set(handed.map((t) => strategyPattern(t.text))).size,
  };
}

/**
 * The traces handed over in one iteration as GRPO reports its rollouts: the verifier's reward (1 throughout when
 * only correct traces are kept), the teacher's sampling entropy per token, and the lengths of correct and incorrect
 * ones. Empty groups report nothing.
 */
export function chunkMetrics(chunk: readonly RolloutRecord[]): Metrics {
  const out: Metrics = {};
  if (!chunk.length) return out;
  out.reward = out.accuracy_train = mean(chunk.map((r) => r.reward));
  out.entropy = mean(chunk.flatMap((r) => r.entropies));
  for (const [name, correct] of [['correct', true], ['incorrect', false]] as const) {
    const members = chunk.filter((r) => r.correct === correct);
    if (members.length) out[`completions/mean_length_${name}`] = mean(members.map((r) => r.tokens.length));
  }
  return out;
}

function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN;
}
