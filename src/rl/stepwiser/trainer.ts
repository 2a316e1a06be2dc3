/**
 * The StepWiser trainer (Xiong et al., arXiv 2508.19229; docs/judges.md "The StepWiser trainer"): the run's
 * warm-started policy stays fixed; a second tiny transformer, the step judge, learns to say whether a new step of
 * the policy's solution is good. One iteration, as step() reads:
 *   1. the labelled pool: at iteration 0 (and every refresh_every iterations when set) the policy solves
 *      `solutions` problems, each step's Q̂ comes from M continuations, the steps are labelled under the rule and
 *      balanced (pool.ts); at iteration 0 the judge is also warmed up by SFT on the pool's demonstrations;
 *   2. judge GRPO: prompts_per_step labelled steps are drawn from the pool, the judge writes G verdicts for each,
 *      a verdict earns 1 when it matches the step's label, and one GRPO iteration follows (judgeModel.ts);
 *   3. report: the judge's rollouts, its training reward and loss, and the pool's label balance (the first
 *      iteration also evaluates the warmed-up judge before its update, so the held-out curves start there).
 * evaluate() measures the judge on held-out labelled steps (positives and negatives apart, so "always Positive"
 * shows) and uses it for chunk-reset sampling against plain sampling on the same problems and seed.
 */
import type { Backend } from '../../engine/backend';
import { Rng } from '../../engine/rng';
import { EVAL_SAMPLING_STREAM, EVAL_STREAM, rolloutStream, STEPWISER_HELD_OUT_SEED_XOR, STEPWISER_POOL_SEED_XOR, TRAIN_STREAM } from '../../engine/streams';
import type { FfnActivation } from '../../model/config';
import { generate } from '../../model/generate';
import type { CharTokenizer } from '../../model/tokenizer';
import { BOS } from '../../model/tokenizer';
import type { Transformer } from '../../model/transformer';
import type { Weights } from '../../model/weights';
import { judgeGrpoConfig, JudgeGrpo, createJudgeModel, judgeRolloutRecords, judgeSeed, warmUpJudge, type JudgeIteration, type JudgeModel } from '../judgeTraining/judgeModel';
import { chunkReset, modelStepSampler, textStepJudge, type ChunkResetResult, type StepJudge } from '../judgeTraining/chunkReset';
import { multiStepAnalysis, multiStepRuleJudge } from '../judgeTraining/multiStepRules';
import { parseStepVerdict, stepJudgeInstance, stepJudgeTask, STEP_RULES, type LabelCounts, type StepExample, type StepJudgeInstance, type StepRule } from '../judgeTraining/stepData';
import { exportJudge, type ExportedJudge } from '../judgeTraining/judgeExport';
import { modelTextJudge } from '../judgeTraining/textJudge';
import type { Plot } from '../plots';
import type { GrpoConfig } from '../grpo/config';
import type { RunConfig } from '../runConfig';
import { ANSWER_MARK, STEP_SEPARATOR } from '../tasks/multiStep';
import { isCorrect, type Task, type TaskInstance } from '../tasks/types';
import type { IterationResult, Metrics, RolloutRecord, Trainer, TrainerState } from '../trainer';
import { RULE_OF, type StepwiserConfig } from './config';
import { labelledPool, labelledSolutions, type LabelledPool, type LabelSource } from './pool';

/** The multi-step task is the one whose steps the data layer can label and analyse (src/rl/tasks/multiStep.ts). */
export const STEPWISER_TASK = 'multi-step';
/** Judge SFT warm-up batch (demonstrations per step). */
const JUDGE_SFT_BATCH = 16;
/** How many problems may be drawn to find `solutions` that are not held out, per solution asked for. */
const DRAWS_PER_SOLUTION = 20;

const RULE_TITLE: Record<StepRule, string> = { absQ: 'Abs-Q', relRatio: 'Rel-Ratio', relEffective: 'Rel-Effective' };

interface Pool extends LabelledPool {
  /** The build this pool is: iteration ÷ refresh_every (0 when built once). */
  build: number;
  instances: StepJudgeInstance[];
}

/** What a loaded state leaves for the first step: the judge's weights and its GRPO state, applied once it is built. */
interface Pending {
  weights: Weights;
  trainer: TrainerState;
}

export class StepwiserTrainer implements Trainer {
  iteration = 0;
  readonly cfg: StepwiserConfig;
  /** The judge model, its GRPO and the judge task's alphabet: built on the first step or evaluation. */
  judge: JudgeModel | null = null;
  judgeGrpo: JudgeGrpo | null = null;
  private pool: Pool | null = null;
  private heldOut: { examples: StepExample[]; problems: TaskInstance[]; resetProblems: TaskInstance[] } | null = null;
  private pending: Pending | null = null;
  private readonly seed: number;

  constructor(
    readonly be: Backend,
    readonly policy: Transformer,
    readonly tokenizer: CharTokenizer,
    readonly task: Task,
    readonly run: RunConfig,
  ) {
    if (task.name !== STEPWISER_TASK) throw new Error(`stepwiser: the step judge is trained on the ${STEPWISER_TASK} task's steps (the run's task is ${task.name})`);
    this.cfg = run.stepwiser;
    this.seed = judgeSeed(run.seed);
  }

  async step(): Promise<IterationResult> {
    const t0 = performance.now();
    await this.ready();
    const pool = await this.currentPool();
    // The first iteration reports the warmed-up judge before any GRPO update, so its curves start there (an
    // evaluation due after this iteration replaces these numbers with the trained judge's).
    const warmedUp = this.iteration === 0 ? await this.evaluate() : null;
    const tPool = performance.now();

    const drawn = this.drawExamples(pool);
    const it = await this.judgeGrpo!.iterate(
      drawn.map((inst) => inst.prompt),
      (outputs) => outputs.map((outs, i) => outs.map((o) => rewardOf(o, drawn[i]))),
    );
    const tTrain = performance.now();

    const rollouts = judgeRollouts(this.iteration, drawn, it);
    // The trained model here is the judge: the shared curves (reward, loss, entropy, lengths…) show the judge's.
    const metrics: Metrics = {
      ...poolMetrics(pool),
      ...it.learned.steps[it.learned.steps.length - 1],
      ...judgeSampleMetrics(rollouts),
      step_time: (tTrain - t0) / 1000,
      'time/pool_and_warm_up': (tPool - t0) / 1000,
      'time/optimization': (tTrain - tPool) / 1000,
    };
    this.iteration++;
    return { metrics: { ...warmedUp?.metrics, ...metrics }, rollouts, plots: [labelBalancePlot(pool, RULE_OF[this.cfg.rule]), ...(warmedUp?.plots ?? [])] };
  }

  /**
   * The judge on the held-out labelled steps (greedy verdicts): accuracy on the positive and on the negative
   * steps, and their mean (what a 50/50 set would score: "always Positive" gets 0.5); then chunk-reset sampling with
   * the judge (≤ reset_attempts per step) against plain sampling on the same problems and seed, and with the
   * multi-step rule as the judge (an upper bound: it is never wrong).
   */
  async evaluate(): Promise<{ metrics: Metrics; plots: Plot[] }> {
    await this.ready();
    const held = await this.heldOutSet();
    const judge = this.judge!;
    const instances = held.examples.map((e) => this.judgeInstance(e));
    const verdicts = await greedyVerdicts(this.be, judge, instances.map((i) => i.prompt), this.cfg.judge_max_tokens);
    const hit = (label: 'positive' | 'negative') => {
      const idx = instances.flatMap((inst, i) => (inst.label === label ? [i] : []));
      return { n: idx.length, acc: idx.length ? idx.filter((i) => verdicts[i] === label).length / idx.length : 0 };
    };
    const pos = hit('positive'), neg = hit('negative');

    const trained = operationStepsOnly(textStepJudge(modelTextJudge(this.be, judge.model, judge.tokenizer, this.cfg.judge_max_tokens), STEP_SEPARATOR));
    const plain = await this.resetAccuracy(held.resetProblems, trained, 1);
    const reset = await this.resetAccuracy(held.resetProblems, trained, this.cfg.reset_attempts);
    const rule = await this.resetAccuracy(held.resetProblems, multiStepRuleJudge, this.cfg.reset_attempts);
    const metrics: Metrics = {
      'stepwiser/judge_accuracy': pos.n && neg.n ? (pos.acc + neg.acc) / 2 : pos.n ? pos.acc : neg.acc,
      'stepwiser/acc_positive': pos.acc,
      'stepwiser/acc_negative': neg.acc,
      'stepwiser/held_out_positive': pos.n,
      'stepwiser/held_out_negative': neg.n,
      'stepwiser/malformed': verdicts.filter((v) => v === null).length / Math.max(1, verdicts.length),
      'stepwiser/acc_without_reset': plain.accuracy,
      'stepwiser/acc_with_reset': reset.accuracy,
      'stepwiser/acc_with_rule_reset': rule.accuracy,
      'stepwiser/reset_accepted': reset.accepted,
      'stepwiser/reset_rejected': reset.rejected,
      'stepwiser/reset_forced': reset.forced,
    };
    return { metrics, plots: [resetPlot(this.cfg.reset_attempts, plain.accuracy, reset.accuracy, rule.accuracy)] };
  }

  /** The trained step judge as an ONNX judge (docs/judges.md contract: yes "P", no "N"). */
  async exportJudge(): Promise<ExportedJudge> {
    if (!this.judge) throw new Error('stepwiser: no judge to export before the first iteration');
    return exportStepJudge(this.be, this.judge, this.cfg.judge_max_tokens);
  }

  activationAt(): FfnActivation {
    // The policy is not trained here: it samples with the activation it was warmed up with.
    return this.policy.config.activation;
  }

  /** The judge's weights (models.judge) and its GRPO state; the pool is rebuilt from the policy on resume. */
  async saveState(): Promise<TrainerState> {
    if (!this.judgeGrpo) throw new Error('stepwiser: nothing to save before the first iteration');
    const { weights, trainer } = await this.judgeGrpo.saveState();
    return { ...trainer, iteration: this.iteration, models: { judge: weights } };
  }

  loadState(state: TrainerState): void {
    const weights = state.models?.judge;
    if (!weights) throw new Error('stepwiser: the saved state has no judge weights (models.judge)');
    this.iteration = state.iteration;
    this.pending = { weights, trainer: state };
    this.pool = null;
    if (this.judgeGrpo) this.applyPending();
  }

  /** Builds the judge on first use: the first pool's task gives its alphabet; SFT unless a loaded state has weights. */
  private async ready(): Promise<void> {
    if (this.judgeGrpo) return;
    const pool = await this.currentPool();
    const task = this.judgeTask(pool);
    const judge = createJudgeModel(this.be, task, { preset: this.cfg.judge_preset, contextLength: this.cfg.judge_context }, this.seed);
    if (!this.pending && this.cfg.judge_sft_steps > 0) {
      await warmUpJudge(this.be, judge, task, { steps: this.cfg.judge_sft_steps, batch: JUDGE_SFT_BATCH, lr: this.run.sft.lr }, this.seed);
    }
    this.judge = judge;
    this.judgeGrpo = new JudgeGrpo(this.be, judge, task, stepJudgeGrpoConfig(this.run), this.seed, this.run.iterations);
    this.applyPending();
  }

  private applyPending(): void {
    if (!this.pending) return;
    this.judgeGrpo!.loadState(this.pending);
    this.pending = null;
  }

  /** The pool of this iteration's build, (re)built from the policy when the build changes. */
  private async currentPool(): Promise<Pool> {
    const build = this.cfg.refresh_every > 0 ? Math.floor(this.iteration / this.cfg.refresh_every) : 0;
    if (this.pool?.build === build) return this.pool;
    const held = await this.heldOutSet();
    const rng = new Rng(this.poolSeed(build), TRAIN_STREAM);
    const heldProblems = new Set(held.problems.map((p) => p.prompt));
    const instances: TaskInstance[] = [];
    for (let d = 0; d < DRAWS_PER_SOLUTION * this.cfg.solutions && instances.length < this.cfg.solutions; d++) {
      const inst = this.task.generate(rng, this.run.difficulty);
      if (!heldProblems.has(inst.prompt)) instances.push(inst);
    }
    if (instances.length === 0) throw new Error('stepwiser: every problem drawn for the pool is a held-out problem; raise the difficulty or lower stepwiser.held_out');
    const solutions = await labelledSolutions(this.labelSource(this.poolSeed(build)), instances, rolloutStream(build, 0));
    const labelled = labelledPool(solutions, this.cfg, (e) => this.fits(e), rng);
    if (labelled.examples.length === 0) {
      throw new Error(`stepwiser: no labelled steps to train on (${this.cfg.rule} labels before balancing: ${labelled.before.positive} positive, ${labelled.before.negative} negative); sample more solutions or turn balancing off`);
    }
    this.pool = { ...labelled, build, instances: labelled.examples.map((e) => this.judgeInstance(e)) };
    return this.pool;
  }

  /** Held-out labelled steps (unbalanced) and the chunk-reset problems, from their own seed, built once. */
  private async heldOutSet() {
    if (this.heldOut) return this.heldOut;
    const seed = (this.run.seed ^ STEPWISER_HELD_OUT_SEED_XOR) >>> 0;
    const rng = new Rng(seed, EVAL_STREAM);
    const problems = Array.from({ length: this.cfg.held_out }, () => this.task.generate(rng, this.run.difficulty));
    const resetProblems = Array.from({ length: this.cfg.reset_problems }, () => this.task.generate(rng, this.run.difficulty));
    const solutions = await labelledSolutions(this.labelSource(seed), problems, EVAL_SAMPLING_STREAM);
    const examples = labelledPool(solutions, { ...this.cfg, balance: false }, (e) => this.fits(e), rng).examples;
    this.heldOut = { examples, problems, resetProblems };
    return this.heldOut;
  }

  private labelSource(seed: number): LabelSource {
    return { be: this.be, policy: this.policy, tokenizer: this.tokenizer, task: this.task, sampling: this.run.grpo, cfg: this.cfg, separator: STEP_SEPARATOR, seed };
  }

  private poolSeed(build: number): number {
    return (((this.run.seed ^ STEPWISER_POOL_SEED_XOR) >>> 0) + build * (this.cfg.solutions + 1)) >>> 0;
  }

  private judgeInstance(e: StepExample): StepJudgeInstance {
    return stepJudgeInstance(e, { separator: STEP_SEPARATOR, analyse: multiStepAnalysis });
  }

  private judgeTask(pool: Pool) {
    return stepJudgeTask(pool.examples, { policyAlphabet: this.task.alphabet, separator: STEP_SEPARATOR, analyse: multiStepAnalysis });
  }

  /** A step fits when BOS, its judge prompt and the judge's longest answer fit the judge's context. */
  private fits(e: StepExample): boolean {
    return 1 + [...this.judgeInstance(e).prompt].length + this.cfg.judge_max_tokens <= this.cfg.judge_context;
  }

  /** This iteration's judge prompts: a seeded draw from the pool (a pure function of seed and iteration). */
  private drawExamples(pool: Pool): StepJudgeInstance[] {
    const rng = new Rng(this.seed, TRAIN_STREAM).split(this.iteration);
    return Array.from({ length: this.run.grpo.prompts_per_step }, () => pool.instances[rng.int(pool.instances.length)]);
  }

  private async resetAccuracy(problems: readonly TaskInstance[], judge: StepJudge, attempts: number) {
    const seed = (this.run.seed ^ STEPWISER_HELD_OUT_SEED_XOR) >>> 0;
    const sampler = modelStepSampler(this.be, this.policy, this.tokenizer, { temperature: this.run.grpo.temperature, seed, stream: EVAL_SAMPLING_STREAM + 1 });
    const results: ChunkResetResult[] = await chunkReset(
      problems.map((p) => p.prompt),
      sampler,
      judge,
      { separator: STEP_SEPARATOR, maxAttempts: attempts, stepTokens: this.run.grpo.max_completion_length, maxNewTokens: this.run.grpo.max_completion_length },
    );
    const right = results.filter((r, i) => isCorrect(this.task, this.task.extractAnswer(r.completion), problems[i])).length;
    return {
      accuracy: right / Math.max(1, problems.length),
      accepted: sum(results.map((r) => r.accepted)),
      rejected: sum(results.map((r) => r.rejected)),
      forced: sum(results.map((r) => r.forced)),
    };
  }
}

/**
 * The judge's GRPO settings: the run's (sampling temperature, clipping, loss, learning rate) with the judge's group
 * shape — prompts_per_step labelled steps × judge_generations verdicts — and output budget.
 */
export function stepJudgeGrpoConfig(run: RunConfig): GrpoConfig {
  return judgeGrpoConfig(run.grpo, {
    prompts: run.grpo.prompts_per_step,
    generations: run.stepwiser.judge_generations,
    maxOutput: run.stepwiser.judge_max_tokens,
    learningRate: run.grpo.learning_rate,
  });
}

/**
 * The trained judge in chunk reset: Monte-Carlo labels exist only for the steps before the final answer (the
 * answer's value is just whether it is right), so the judge has never seen an answer step `#x`; it judges the
 * operation steps and lets the answer through.
 */
function operationStepsOnly(judge: StepJudge): StepJudge {
  return async (problem, history, step) => (step.startsWith(ANSWER_MARK) ? 'positive' : judge(problem, history, step));
}

/**
 * A step judge as an ONNX judge: loaded back (ModelJudge), it reads `problem, previous steps, >, new step, ?`
 * (the score call's prompt `problem…>` and completion `step`), writes its analysis and ":", and scores P(P).
 */
export function exportStepJudge(be: Backend, judge: JudgeModel, maxTokens: number): Promise<ExportedJudge> {
  return exportJudge(be, judge, {
    yes: 'P',
    no: 'N',
    description: 'StepWiser step judge (multi-step arithmetic): is the step after ">" a good next step? Analysis, then :P or :N.',
    maxThought: maxTokens,
  });
}

/** 1 when the judge's verdict is the step's Monte-Carlo label, else 0 (an unreadable verdict included). */
export function rewardOf(output: string, inst: StepJudgeInstance): number {
  const parsed = parseStepVerdict(output);
  return parsed.label === inst.label ? 1 : 0;
}

/** Greedy verdicts of the judge for many prompts in one generate call (null: no readable verdict). */
export async function greedyVerdicts(be: Backend, judge: JudgeModel, prompts: readonly string[], maxTokens: number) {
  if (prompts.length === 0) return [];
  const ids = prompts.map((p) => [BOS, ...judge.tokenizer.encode(p)]);
  const room = Math.min(maxTokens, judge.model.config.contextLength - Math.max(...ids.map((x) => x.length)));
  const rollouts = await generate(be, judge.model, ids, { maxNewTokens: room, temperature: 1, topK: 0, topP: 1, greedy: true, seed: 0 });
  return rollouts.map((r) => parseStepVerdict(judge.tokenizer.decode(r.tokens)).label);
}

/** The judge's training verdicts as the shared curves name them: reward = accuracy on the drawn labelled steps. */
function judgeSampleMetrics(rollouts: readonly RolloutRecord[]): Metrics {
  const right = rollouts.filter((r) => r.correct), wrong = rollouts.filter((r) => !r.correct);
  const reward = mean(rollouts.map((r) => r.reward));
  return {
    reward,
    accuracy_train: reward,
    'rewards/correct/mean': reward,
    'stepwiser/train_malformed': mean(rollouts.map((r) => (r.answer === null ? 1 : 0))),
    'completions/mean_length_correct': mean(right.map((r) => r.tokens.length)),
    'completions/mean_length_incorrect': mean(wrong.map((r) => r.tokens.length)),
  };
}

function poolMetrics(pool: Pool): Metrics {
  const share = (c: LabelCounts) => c.positive / Math.max(1, c.positive + c.negative);
  return {
    'stepwiser/pool_positive_before': pool.before.positive,
    'stepwiser/pool_negative_before': pool.before.negative,
    'stepwiser/pool_positive_after': pool.after.positive,
    'stepwiser/pool_negative_after': pool.after.negative,
    'stepwiser/pool_too_long': pool.tooLong,
    ...Object.fromEntries(STEP_RULES.map((r) => [`stepwiser/positive_share_${r}`, share(pool.byRule[r])])),
  };
}

/** Positive share of the pool's steps under each rule (x: 1 Abs-Q, 2 Rel-Ratio, 3 Rel-Effective), and the trained rule's after balancing. */
function labelBalancePlot(pool: Pool, trained: StepRule): Plot {
  const share = (c: LabelCounts) => c.positive / Math.max(1, c.positive + c.negative);
  return {
    id: 'stepwiser/label-balance',
    title: 'StepWiser label balance per rule',
    xLabel: `rule (${STEP_RULES.map((r, i) => `${i + 1} ${RULE_TITLE[r]}`).join(', ')})`,
    yLabel: 'share of positive steps',
    kind: 'scatter',
    unit: true,
    series: [
      { label: 'positive share (all labelled steps)', points: STEP_RULES.map((r, i) => ({ x: i + 1, y: share(pool.byRule[r]) })) },
      { label: 'negative share (all labelled steps)', points: STEP_RULES.map((r, i) => ({ x: i + 1, y: 1 - share(pool.byRule[r]) })) },
      { label: 'positive share trained on (after balancing)', points: [{ x: STEP_RULES.indexOf(trained) + 1, y: share(pool.after) }] },
    ],
  };
}

function resetPlot(attempts: number, plain: number, trained: number, rule: number): Plot {
  return {
    id: 'stepwiser/reset-accuracy',
    title: 'Accuracy with vs without chunk reset',
    xLabel: 'attempts per step (1 = plain sampling)',
    yLabel: 'final-answer accuracy',
    kind: 'line',
    unit: true,
    series: [
      { label: 'trained step judge', points: [{ x: 1, y: plain }, { x: attempts, y: trained }] },
      { label: 'rule judge (upper bound)', points: [{ x: 1, y: plain }, { x: attempts, y: rule }] },
    ],
  };
}

/** The judge's rollouts of one iteration as the inspector's records (prompt: the judged step; gold: its label). */
function judgeRollouts(iteration: number, drawn: readonly StepJudgeInstance[], it: JudgeIteration): RolloutRecord[] {
  return judgeRolloutRecords(iteration, drawn, it, (gi, i) => {
    const parsed = parseStepVerdict(it.outputs[gi][i]);
    return {
      answer: parsed.label === null ? null : parsed.label === 'positive' ? 'P' : 'N',
      correct: it.rewards[gi][i] === 1,
      parts: { correct: it.rewards[gi][i] },
      verdicts: {},
    };
  });
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const mean = (xs: readonly number[]) => (xs.length ? sum(xs) / xs.length : 0);
