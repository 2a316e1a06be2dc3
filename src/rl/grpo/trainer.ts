/**
 * The GRPO loop (docs/methods.md §3.1; beyond TRL: dynamic sampling, label-free modes, lr floor — §3.10). One
 * iteration, as step() reads:
 *   1. collect: sample P prompts × G completions and score them (collect.ts);
 *   2. advantages of the generation batch: gold, TTRL or RESTRAIN, scaled as scale_rewards says;
 *   3. learn: shuffle the generation batch (seeded), split it into minibatches, record π_old when it spans several
 *      optimizer steps, then μ passes × minibatches of one optimizer step each (optimize.ts);
 *   4. report: a record per rollout and the iteration's metrics (metrics.ts).
 * GSPO is this trainer with importance_sampling_level 'sequence'.
 */
import type { Backend } from '../../engine/backend';
import { AdamW } from '../../engine/optim';
import { Rng } from '../../engine/rng';
import { warmupCosine } from '../../engine/schedule';
import { MINIBATCH_STREAM, TRAIN_STREAM } from '../../engine/streams';
import { scheduledActivation, type FfnActivation } from '../../model/config';
import { teacherForcedLogprobs } from '../../model/teacherForced';
import type { CharTokenizer } from '../../model/tokenizer';
import { readWeights, writeWeights, type Weights } from '../../model/weights';
import type { AsyncJudge, RewardConfig } from '../rewards';
import type { Task } from '../tasks/types';
import type { IterationResult, Metrics, Trainer, TrainerState } from '../trainer';
import type { Transformer } from '../../model/transformer';
import { groupAdvantages } from './advantages';
import { buildPolicyBatch, splitMinibatches, type PolicyBatch, type TrainSequence } from './batch';
import { collectGroups, outcome, trainSequences, type Collector, type GroupOutcome } from './collect';
import { GRPO_MIN_LR_RATIO, grpoProblems, type GrpoConfig } from './config';
import { generationBatchEntropyWeights, generationBatchWeights } from './lossWeights';
import { batchTokens, iterationMetrics, rolloutRecords, timingMetrics, type Learned } from './metrics';
import { optimizeMinibatch } from './optimize';
import { labelFreeBatch, restrainGroup, ttrlGroup, type Labeller, type LabelFreeGroup } from './restrain';

export type { GroupOutcome } from './collect';
export type { Learned } from './metrics';

export interface GroupAdvantages {
  /** Per group, per rollout. */
  advantages: number[][];
  labelFree: Array<LabelFreeGroup | null>;
}

export class GrpoTrainer implements Trainer {
  readonly opt: AdamW;
  readonly reference: Transformer | null;
  /** RESTRAIN prompt weights: the frozen initial policy whose answer consistency weights each prompt. */
  private readonly promptReference: Transformer | null;
  iteration = 0;
  private optimizerSteps = 0;
  /** Prompt and completion tokens trained on so far (subclasses that build their own batches add theirs). */
  protected tokensSeen = 0;
  /** The frozen policy's weights, read back once for saved states. */
  private frozenWeights: Promise<Weights | null> | null = null;
  private readonly rng: Rng;

  constructor(
    readonly be: Backend,
    readonly policy: Transformer,
    readonly tokenizer: CharTokenizer,
    readonly task: Task,
    readonly difficulty: Record<string, number>,
    readonly cfg: GrpoConfig,
    readonly rewards: RewardConfig,
    readonly seed: number,
    /** Total iterations planned (for the learning-rate schedule). */
    readonly totalIterations: number,
    /** A judge for the model_judge reward component (an ONNX file, or a judge trained here). */
    readonly modelJudge?: AsyncJudge,
  ) {
    const problems = grpoProblems(cfg);
    if (problems.length) throw new Error(`invalid GRPO config: ${problems.join('; ')}`);
    this.rng = new Rng(seed, TRAIN_STREAM);
    this.opt = new AdamW(be, policy.optimizerParams(), { weightDecay: cfg.weight_decay });
    this.reference = cfg.beta > 0 ? policy.frozenCopy(be) : null;
    const weighted = cfg.label_mode === 'restrain' && cfg.restrain.promptWeights === true;
    this.promptReference = weighted ? (this.reference ?? policy.frozenCopy(be)) : null;
  }

  async step(): Promise<IterationResult> {
    const t0 = performance.now();
    const { groups, sampled } = await collectGroups(this.collector(), this.iteration, this.activationAt(this.iteration));
    const tRollout = performance.now();

    const { advantages, labelFree } = this.advantages(groups.map(outcome));
    groups.forEach((g, gi) => {
      g.advantages = advantages[gi];
      g.labelFree = labelFree[gi];
    });
    const seqs = groups.flatMap(trainSequences);
    const tScore = performance.now();

    const learned = await this.learn(seqs, this.minibatchOrder(seqs.length));
    const tTrain = performance.now();

    this.tokensSeen += batchTokens(groups);
    const rollouts = rolloutRecords(this.iteration, groups, learned, this.cfg.num_generations);
    const metrics = {
      ...iterationMetrics({ iteration: this.iteration, cfg: this.cfg, task: this.task, groups, sampled, steps: learned.steps, tokensSeen: this.tokensSeen }),
      ...timingMetrics(t0, tRollout, tScore, tTrain),
    };
    this.iteration++;
    return { metrics, rollouts };
  }

  /**
   * Advantages of a generation batch according to the label mode, each group scaled as scale_rewards says ('batch':
   * by the std over the whole batch, so call it with every group that trains together).
   */
  advantages(groups: readonly GroupOutcome[]): GroupAdvantages {
    const { cfg } = this;
    const G = cfg.num_generations;
    if (cfg.label_mode === 'gold') {
      const flat = groupAdvantages(groups.flatMap((g) => g.rewards), G, cfg.scale_rewards).advantages;
      return { advantages: groups.map((_, gi) => flat.slice(gi * G, (gi + 1) * G)), labelFree: groups.map(() => null) };
    }
    const label: Labeller = cfg.label_mode === 'ttrl' ? ttrlGroup : (answers, divisor) => restrainGroup(answers, divisor, cfg.restrain);
    const labelFree = labelFreeBatch(groups.map((g) => g.answers), cfg.scale_rewards, label);
    return { advantages: labelFree.map((lf, gi) => lf.advantages.map((a) => a * groups[gi].promptWeight)), labelFree };
  }

  /** The order this iteration's generation batch is split into minibatches in: a seeded shuffle, as TRL does. */
  minibatchOrder(n: number): number[] {
    return new Rng(this.seed, MINIBATCH_STREAM).split(this.iteration).permutation(n);
  }

  /**
   * The optimisation of one scored generation batch (sequences group-contiguous, advantages set): minibatch m holds
   * the sequences order[m·n/M ..]; μ passes over the minibatches, one optimizer step each.
   */
  async learn(seqs: readonly TrainSequence[], order: readonly number[]): Promise<Learned> {
    const { cfg } = this;
    const parts = splitMinibatches(order, cfg.minibatches);
    const minibatchOf: number[] = [];
    parts.forEach((members, m) => members.forEach((i) => (minibatchOf[i] = m)));
    const infos = seqs.map((s) => ({ length: s.completion.length, truncated: s.truncated }));
    const split = { minibatchOf, maxCompletionLength: cfg.max_completion_length, maskTruncated: cfg.mask_truncated_completions };
    const tokenWeights = generationBatchWeights(infos, cfg.loss_type, split);
    const entropyWeights = generationBatchEntropyWeights(infos, split);
    const batches = parts.map((members) =>
      buildPolicyBatch(
        members.map((i) => seqs[i]),
        members.flatMap((i) => tokenWeights[i]),
        members.flatMap((i) => entropyWeights[i]),
      ),
    );

    // π_old is the policy that sampled the batch. When the batch spans several optimizer steps, later steps see a
    // moved policy, so it is recorded first; with one step it equals the current policy (ratio 1, as in TRL).
    const spansSteps = cfg.num_iterations > 1 || cfg.minibatches > 1;
    // Old-policy and reference log-probs of every minibatch are asked for together: one submission, one read-back.
    const [olds, refs] = await Promise.all([
      spansSteps ? Promise.all(batches.map((b) => this.logprobsOf(this.policy, b))) : null,
      this.reference ? Promise.all(batches.map((b) => this.logprobsOf(this.reference!, b))) : null,
    ]);
    const steps: Metrics[] = [];
    for (let pass = 0; pass < cfg.num_iterations; pass++) {
      for (let m = 0; m < batches.length; m++) steps.push(await this.optimize(batches[m], olds?.[m] ?? null, refs?.[m] ?? null));
    }

    const local = new Map(parts.flatMap((members) => members.map((i, k) => [i, k] as const)));
    const refLogprobs = refs ? seqs.map((_, i) => batches[minibatchOf[i]].completionRows[local.get(i)!].map((row) => refs[minibatchOf[i]][row])) : null;
    return { steps, minibatchOf, tokenWeights, refLogprobs };
  }

  /** The FFN activation of an iteration (Swi+FT switches to RELU for the final fraction of iterations). */
  activationAt(iteration: number): FfnActivation {
    return scheduledActivation(this.policy.config, iteration, this.totalIterations);
  }

  /** Read the state back from the device (between iterations only). The frozen policy is read once. */
  async saveState(): Promise<TrainerState> {
    const frozenModel = this.reference ?? this.promptReference;
    this.frozenWeights ??= frozenModel ? readWeights(this.be, frozenModel) : Promise.resolve(null);
    return {
      iteration: this.iteration,
      optimizerSteps: this.optimizerSteps,
      rngPosition: this.rng.position,
      tokensSeen: this.tokensSeen,
      optimizer: await this.opt.saveState(),
      frozen: await this.frozenWeights,
    };
  }

  /** Continue from a saved state; call on a fresh trainer whose policy holds the weights saved with it. */
  loadState(state: TrainerState): void {
    const frozenModel = this.reference ?? this.promptReference;
    if (Boolean(frozenModel) !== Boolean(state.frozen)) throw new Error('trainer state was saved with a different reference-policy setting');
    this.opt.loadState(state.optimizer);
    if (frozenModel && state.frozen) {
      writeWeights(this.be, frozenModel, state.frozen);
      this.frozenWeights = Promise.resolve(state.frozen);
    }
    this.iteration = state.iteration;
    this.optimizerSteps = state.optimizerSteps;
    this.tokensSeen = state.tokensSeen ?? 0;
    this.rng.seek(state.rngPosition);
  }

  /** What collection reads: this trainer's policy, settings and prompt stream (which saveState records). */
  protected collector(): Collector {
    return {
      be: this.be,
      policy: this.policy,
      tokenizer: this.tokenizer,
      task: this.task,
      difficulty: this.difficulty,
      cfg: this.cfg,
      rewards: this.rewards,
      seed: this.seed,
      rng: this.rng,
      modelJudge: this.modelJudge,
      promptReference: this.promptReference,
      zeroVariance: (o) => this.advantages([o]).advantages[0].every((a) => a === 0),
    };
  }

  private logprobsOf(model: Transformer, b: PolicyBatch): Promise<Float32Array> {
    return teacherForcedLogprobs(this.be, model, b, { temperature: this.cfg.temperature, activation: this.activationAt(this.iteration) });
  }

  private async optimize(b: PolicyBatch, old: Float32Array | null, ref: Float32Array | null): Promise<Metrics> {
    const { cfg } = this;
    const lr = warmupCosine(this.optimizerSteps, {
      lr: cfg.learning_rate,
      warmupSteps: cfg.warmup_steps,
      totalSteps: Math.max(1, this.totalIterations * cfg.num_iterations * cfg.minibatches),
      minLrRatio: GRPO_MIN_LR_RATIO,
    });
    const stats = await optimizeMinibatch(
      { be: this.be, policy: this.policy, opt: this.opt, cfg, lr, activation: this.activationAt(this.iteration), label: `GRPO iteration ${this.iteration + 1}` },
      b,
      old,
      ref,
    );
    this.optimizerSteps++;
    return stats;
  }
}
