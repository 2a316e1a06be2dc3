/**
 * Semi-online DPO (docs/dpo.md; Lanchantin et al., arXiv 2506.21495). One iteration, as step() reads:
 *   1. collect: the generator — a frozen copy of the policy — samples P prompts × G completions, scored as GRPO's
 *      are (grpo/collect.ts);
 *   2. pair: per prompt a chosen and a rejected completion (pairs.ts); prompts without a pair are skipped;
 *   3. learn: one optimizer step of the policy on the DPO loss over all the pairs (optimize.ts), with π_ref's
 *      sequence log-probs computed first; no step when there is no pair;
 *   4. sync: every s optimizer steps the generator (and π_ref when ref_sync) is refreshed from the policy;
 *      'offline' never syncs;
 *   5. report: a record per rollout (advantage +1 chosen, −1 rejected, 0 unpaired) and the metrics (metrics.ts).
 * Offline (s = ∞) keeps sampling fresh prompts from the never-synced initial generator: its weights never change
 * and the streams are keyed by iteration, so the batches are exactly those one up-front generation pass over the
 * run's iterations × P prompts would give, used once each (one epoch), as the paper's offline DPO.
 */
import type { Backend } from '../../engine/backend';
import { AdamW } from '../../engine/optim';
import { Rng } from '../../engine/rng';
import { warmupCosine } from '../../engine/schedule';
import { PAIR_STREAM, TRAIN_STREAM } from '../../engine/streams';
import { scheduledActivation, type FfnActivation } from '../../model/config';
import type { Transformer } from '../../model/transformer';
import { readWeights, writeWeights, type Weights } from '../../model/weights';
import type { TrainSequence } from '../grpo/batch';
import { collectGroups, type Collector, type Group } from '../grpo/collect';
import { GRPO_MIN_LR_RATIO, grpoProblems, type GrpoConfig } from '../grpo/config';
import { batchTokens, rolloutRecords, timingMetrics } from '../grpo/metrics';
import type { IterationResult, Trainer, TrainerState } from '../trainer';
import type { TrainerContext } from '../trainers';
import { dpoProblems, type DpoConfig } from './config';
import { dpoMetrics } from './metrics';
import { dpoStep, pairBatch, sequenceLogprobs, type DpoStepResult } from './optimize';
import { selectPairs, type PreferencePair } from './pairs';

/** Names of the extra models in a saved state (TrainerState.models). */
export const DPO_MODELS = { generator: 'generator', reference: 'reference' } as const;

export class DpoTrainer implements Trainer {
  readonly opt: AdamW;
  /** The frozen copy of the policy that samples. */
  readonly generator: Transformer;
  /** π_ref: the generator itself when ref_sync (synced with it), else its own copy of the initial policy. */
  readonly reference: Transformer;
  iteration = 0;
  private optimizerSteps = 0;
  private tokensSeen = 0;
  private readonly rng: Rng;

  readonly be: Backend;
  readonly policy: Transformer;
  /** Sampling and optimiser settings shared with GRPO (the run's `grpo` section). */
  private readonly sampling: GrpoConfig;
  private readonly cfg: DpoConfig;

  constructor(private readonly c: TrainerContext) {
    this.be = c.be;
    this.policy = c.policy;
    this.sampling = c.run.grpo;
    this.cfg = c.run.dpo;
    const problems = [...grpoProblems(this.sampling).map((p) => `grpo.${p}`), ...dpoProblems(this.cfg).map((p) => `dpo.${p}`)];
    if (problems.length) throw new Error(`invalid DPO config: ${problems.join('; ')}`);
    this.rng = new Rng(c.run.seed, TRAIN_STREAM);
    this.opt = new AdamW(this.be, this.policy.optimizerParams(), { weightDecay: this.sampling.weight_decay });
    this.generator = this.policy.frozenCopy(this.be, 'generator');
    this.reference = this.cfg.ref_sync ? this.generator : this.policy.frozenCopy(this.be, 'ref');
  }

  async step(): Promise<IterationResult> {
    const t0 = performance.now();
    const activation = this.activationAt(this.iteration);
    const generatorLag = this.generatorLag();
    const { groups } = await collectGroups(this.collector(), this.iteration, activation);
    const tRollout = performance.now();

    const pairing = selectPairs(
      groups.map((g) => ({ correct: g.scored.map((s) => s.correct), rewards: g.scored.map((s) => s.reward) })),
      this.cfg.pairs,
      new Rng(this.c.run.seed, PAIR_STREAM).split(this.iteration),
    );
    markPairs(groups, pairing.pairs);
    const tScore = performance.now();

    const learningRate = this.learningRate();
    const step = pairing.pairs.length ? await this.learn(groups, pairing.pairs, learningRate, activation) : null;
    if (step) this.syncIfDue();
    const tTrain = performance.now();

    this.tokensSeen += batchTokens(groups);
    const G = this.sampling.num_generations;
    const unsplit = { steps: [], minibatchOf: new Array<number>(groups.length * G).fill(0), tokenWeights: [], refLogprobs: null };
    const rollouts = rolloutRecords(this.iteration, groups, unsplit, G);
    const metrics = {
      ...dpoMetrics({ iteration: this.iteration, groups, pairing, step, learningRate, generatorLag, tokensSeen: this.tokensSeen }),
      ...timingMetrics(t0, tRollout, tScore, tTrain),
    };
    this.iteration++;
    return { metrics, rollouts };
  }

  /** Optimizer steps the policy has taken since the generator was last synced (0 right after a sync). */
  generatorLag(): number {
    const s = this.cfg.sync_interval;
    return s === 'offline' ? this.optimizerSteps : this.optimizerSteps % s;
  }

  /** The FFN activation of an iteration (Swi+FT switches to RELU for the final fraction of iterations). */
  activationAt(iteration: number): FfnActivation {
    return scheduledActivation(this.policy.config, iteration, this.c.run.iterations);
  }

  /** Read the state back from the device (between iterations only): the generator and a separate π_ref go in `models`. */
  async saveState(): Promise<TrainerState> {
    const models: Record<string, Weights> = { [DPO_MODELS.generator]: await readWeights(this.be, this.generator) };
    if (this.reference !== this.generator) models[DPO_MODELS.reference] = await readWeights(this.be, this.reference);
    return {
      iteration: this.iteration,
      optimizerSteps: this.optimizerSteps,
      rngPosition: this.rng.position,
      tokensSeen: this.tokensSeen,
      optimizer: await this.opt.saveState(),
      frozen: null,
      models,
    };
  }

  /** Continue from a saved state; call on a fresh trainer whose policy holds the weights saved with it. */
  loadState(state: TrainerState): void {
    const generator = state.models?.[DPO_MODELS.generator];
    const reference = state.models?.[DPO_MODELS.reference];
    if (!generator) throw new Error('trainer state has no DPO generator weights (was it saved by another algorithm?)');
    if (Boolean(reference) !== (this.reference !== this.generator)) throw new Error('trainer state was saved with a different dpo.ref_sync setting');
    this.opt.loadState(state.optimizer);
    writeWeights(this.be, this.generator, generator);
    if (reference) writeWeights(this.be, this.reference, reference);
    this.iteration = state.iteration;
    this.optimizerSteps = state.optimizerSteps;
    this.tokensSeen = state.tokensSeen ?? 0;
    this.rng.seek(state.rngPosition);
  }

  /** π_ref's sequence log-probs of the pairs, then one optimizer step of the policy. */
  private async learn(groups: readonly Group[], pairs: readonly PreferencePair[], lr: number, activation: FfnActivation): Promise<DpoStepResult> {
    const seq = (g: Group, i: number): TrainSequence => {
      const r = g.rollouts[i];
      return { prompt: r.prompt.slice(1), completion: r.tokens, truncated: r.truncated, advantage: 0, actSeed: r.actSeed };
    };
    const batch = pairBatch(
      pairs.map((p) => seq(groups[p.group], p.chosen)),
      pairs.map((p) => seq(groups[p.group], p.rejected)),
    );
    const reference = await sequenceLogprobs(this.be, this.reference, batch, activation);
    const { sampling } = this;
    const result = await dpoStep(
      { be: this.be, policy: this.policy, opt: this.opt, beta: this.cfg.beta, lr, maxGradNorm: sampling.max_grad_norm, activation, label: `DPO iteration ${this.iteration + 1}` },
      batch,
      reference,
    );
    this.optimizerSteps++;
    return result;
  }

  /** Every s optimizer steps the generator (and with it π_ref when ref_sync) takes the policy's weights. */
  private syncIfDue(): void {
    if (this.cfg.sync_interval !== 'offline' && this.generatorLag() === 0) this.generator.copyFrom(this.be, this.policy);
  }

  /** The schedule over one optimizer step per iteration (the same warmup and cosine floor as GRPO's). */
  private learningRate(): number {
    const { sampling } = this;
    return warmupCosine(this.optimizerSteps, {
      lr: sampling.learning_rate,
      warmupSteps: sampling.warmup_steps,
      totalSteps: Math.max(1, this.c.run.iterations),
      minLrRatio: GRPO_MIN_LR_RATIO,
    });
  }

  private collector(): Collector {
    return {
      be: this.be,
      policy: this.generator,
      tokenizer: this.c.tokenizer,
      task: this.c.task,
      difficulty: this.c.run.difficulty,
      // Prompts without a pair are skipped, not resampled (the paper's rule): no dynamic sampling.
      cfg: { ...this.sampling, dynamic_sampling_rounds: 0 },
      rewards: this.c.run.rewards,
      seed: this.c.run.seed,
      rng: this.rng,
      modelJudge: this.c.modelJudge,
      promptReference: null,
      zeroVariance: () => false,
    };
  }
}

/** Each rollout's role in the loss as its advantage: +1 chosen, −1 rejected, 0 not in a pair. */
function markPairs(groups: Group[], pairs: readonly PreferencePair[]): void {
  for (const g of groups) g.advantages = g.rollouts.map(() => 0);
  for (const p of pairs) {
    groups[p.group].advantages[p.chosen] = 1;
    groups[p.group].advantages[p.rejected] = -1;
  }
}
