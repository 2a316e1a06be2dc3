/**
 * The GRPO loop (docs/methods.md §3.1; beyond TRL: dynamic sampling, label-free modes, lr floor — §3.10). One iteration:
 *   1. sample P prompts × G completions on the device (one submission, one read);
 *   2. score them (verifier, judges, shaping), with DAPO dynamic sampling replacing zero-variance groups for a
 *      bounded number of rounds, then compute the advantages of the generation batch — gold, TTRL or RESTRAIN;
 *   3. learn: shuffle the generation batch (seeded) and split it into minibatches; when it spans several optimizer
 *      steps, record π_old first; then μ passes × minibatches of: forward (replaying each rollout's
 *      stochastic-activation draws) → token log-probs at the sampling temperature → clipped surrogate (per-token
 *      or GSPO's per-sequence ratio, optional two-sided δ cap) + KL + entropy bonus → backward → AdamW, each optimizer step one submission whose statistics are read after it.
 * Every rollout is kept with its per-token values, reward parts, verdicts, advantage and group id.
 */
import { Graph } from '../../engine/autograd';
import type { Backend } from '../../engine/backend';
import { tokenLogprobs } from '../../engine/ops/loss';
import { policyLoss } from '../../engine/ops/policyLoss';
import { AdamW, assertFiniteStep, type AdamWState } from '../../engine/optim';
import { Rng } from '../../engine/rng';
import { warmupCosine } from '../../engine/schedule';
import { judgeCall, MINIBATCH_STREAM, PROMPT_WEIGHT_SEED_XOR, rolloutStream, TRAIN_STREAM } from '../../engine/streams';
import type { Tensor } from '../../engine/tensor';
import { generate, type Rollout } from '../../model/generate';
import { BOS, type CharTokenizer } from '../../model/tokenizer';
import { scheduledActivation, type FfnActivation } from '../../model/config';
import { Transformer } from '../../model/transformer';
import { readWeights, writeWeights, type Weights } from '../../model/weights';
import type { Verdict } from '../judges/verdict';
import { REWARD_NAMES, scoreCompletion, type AsyncJudge, type RewardConfig, type RewardName, type ScoredCompletion } from '../rewards';
import type { Task, TaskInstance } from '../tasks/types';
import { groupAdvantages, sampleStd } from './advantages';
import { buildPolicyBatch, sequenceMeanWeights, splitMinibatches, type PolicyBatch, type TrainSequence } from './batch';
import { GRPO_MIN_LR_RATIO, grpoProblems, type GrpoConfig } from './config';
import { generationBatchEntropyWeights, generationBatchWeights } from './lossWeights';
import { labelFreeBatch, majorityShare, promptWeight, restrainGroup, ttrlGroup, type Labeller, type LabelFreeGroup } from './restrain';

export interface RolloutRecord {
  iteration: number;
  group: number;
  prompt: string;
  gold: string;
  completion: string;
  tokens: number[];
  logprobs: number[];
  /** Log-probs under the frozen reference policy (when beta > 0). */
  refLogprobs: number[] | null;
  entropies: number[];
  truncated: boolean;
  answer: string | null;
  correct: boolean;
  reward: number;
  parts: Partial<Record<RewardName, number>>;
  verdicts: Partial<Record<RewardName, Verdict>>;
  advantage: number;
  actSeed: number;
  /** The optimisation minibatch it trained in (after the seeded shuffle of the generation batch). */
  minibatch: number;
  /** Label-free modes: the pseudo-label this rollout's group trained toward (majority answer). */
  pseudoLabel: string | null;
}

export type Metrics = Record<string, number>;

/**
 * What the next iteration depends on besides the policy's weights: with the same config and weights, a trainer
 * that loads this state continues exactly as the one that saved it would have.
 */
export interface TrainerState {
  iteration: number;
  optimizerSteps: number;
  rngPosition: number;
  /** Prompt and completion tokens of every generation batch trained on so far (TRL's num_tokens; absent in older states). */
  tokensSeen?: number;
  optimizer: AdamWState;
  /** The frozen initial policy (KL reference / RESTRAIN prompt weights), when the config uses one. */
  frozen: Weights | null;
}

export interface IterationResult {
  metrics: Metrics;
  rollouts: RolloutRecord[];
}

/** What the advantages of a group depend on: gold rewards, or the answers for the label-free modes. */
export interface GroupOutcome {
  rewards: number[];
  answers: Array<string | null>;
  /** RESTRAIN prompt weight u_x (1 when prompt weighting is off). */
  promptWeight: number;
}

export interface GroupAdvantages {
  /** Per group, per rollout. */
  advantages: number[][];
  labelFree: Array<LabelFreeGroup | null>;
}

/** What learning from one generation batch did, per sequence in generation order where per sequence. */
export interface Learned {
  /** Statistics of every optimizer step, in order (μ passes × minibatches). */
  steps: Metrics[];
  minibatchOf: number[];
  /** Loss weight of each completion token. */
  tokenWeights: number[][];
  /** Reference-policy log-probs of each completion token (when beta > 0). */
  refLogprobs: number[][] | null;
}

interface Group {
  instance: TaskInstance;
  /** RESTRAIN prompt weight u_x (1 when prompt weighting is off). */
  promptWeight: number;
  rollouts: Rollout[];
  scored: ScoredCompletion[];
  completions: string[];
  labelFree: LabelFreeGroup | null;
  advantages: number[];
  zeroStd: boolean;
}

export class GrpoTrainer {
  readonly opt: AdamW;
  readonly reference: Transformer | null;
  /** RESTRAIN prompt weights: the frozen initial policy whose answer consistency weights each prompt. */
  private readonly promptReference: Transformer | null;
  iteration = 0;
  private optimizerSteps = 0;
  private tokensSeen = 0;
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
    /** A loaded judge model for the model_judge reward component. */
    readonly modelJudge?: AsyncJudge,
  ) {
    const problems = grpoProblems(cfg);
    if (problems.length) throw new Error(`invalid GRPO config: ${problems.join('; ')}`);
    this.rng = new Rng(seed, TRAIN_STREAM);
    this.opt = new AdamW(
      be,
      [...policy.params.values()].map((p) => ({ name: p.name, param: p.value, grad: p.grad, decay: p.decay })),
      { weightDecay: cfg.weight_decay },
    );
    this.reference = cfg.beta > 0 ? cloneFrozen(be, policy) : null;
    const weighted = cfg.label_mode === 'restrain' && cfg.restrain.promptWeights === true;
    this.promptReference = weighted ? (this.reference ?? cloneFrozen(be, policy)) : null;
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

  async step(): Promise<IterationResult> {
    const t0 = performance.now();
    const { groups, sampled } = await this.collect();
    const tRollout = performance.now();

    const { advantages, labelFree } = this.advantages(groups.map(outcome));
    groups.forEach((g, gi) => {
      g.advantages = advantages[gi];
      g.labelFree = labelFree[gi];
    });
    const seqs = groups.flatMap((g) =>
      g.rollouts.map((r, i): TrainSequence => ({ prompt: r.prompt.slice(1), completion: r.tokens, truncated: r.truncated, advantage: g.advantages[i], actSeed: r.actSeed })),
    );
    const tScore = performance.now();

    const learned = await this.learn(seqs, this.minibatchOrder(seqs.length));
    const tTrain = performance.now();

    const rollouts = this.records(groups, learned);
    // As TRL counts them: every prompt (BOS included) and completion token of the generation batch trained on.
    this.tokensSeen += groups.reduce((sum, g) => sum + g.rollouts.reduce((n, r) => n + r.prompt.length + r.tokens.length, 0), 0);
    const metrics = this.metrics(groups, sampled, learned.steps);
    metrics.step_time = (tTrain - t0) / 1000;
    metrics['time/rollout'] = (tRollout - t0) / 1000;
    metrics['time/scoring'] = (tScore - tRollout) / 1000;
    metrics['time/optimization'] = (tTrain - tScore) / 1000;
    this.iteration++;
    return { metrics, rollouts };
  }

  /** The order this iteration's generation batch is split into minibatches in: a seeded shuffle, as TRL does. */
  minibatchOrder(n: number): number[] {
    return new Rng(this.seed, MINIBATCH_STREAM).split(this.iteration).permutation(n);
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

  private async sampleGroups(count: number, round: number): Promise<Group[]> {
    const { cfg, tokenizer: tok } = this;
    const G = cfg.num_generations;
    const instances = Array.from({ length: count }, () => this.task.generate(this.rng, this.difficulty));
    const prompts = instances.flatMap((inst) => Array.from({ length: G }, () => [BOS, ...tok.encode(inst.prompt)]));
    const rollouts = await generate(this.be, this.policy, prompts, {
      maxNewTokens: cfg.max_completion_length,
      temperature: cfg.temperature,
      topK: cfg.top_k,
      topP: cfg.top_p,
      greedy: false,
      seed: this.seed,
      stream: rolloutStream(this.iteration, round),
      activation: this.activation(),
    });
    return Promise.all(
      instances.map(async (instance, gi) => {
        const rs = rollouts.slice(gi * G, (gi + 1) * G);
        const completions = rs.map((r) => tok.decode(r.tokens));
        const scored = await Promise.all(
          rs.map((r, i) =>
            scoreCompletion(this.task, instance, completions[i], r.tokens.length, cfg.max_completion_length, this.rewards, judgeCall(this.iteration, round, cfg.prompts_per_step, gi, G, i), this.modelJudge),
          ),
        );
        return { instance, promptWeight: 1, rollouts: rs, scored, completions, labelFree: null, advantages: [], zeroStd: false };
      }),
    );
  }

  /** The FFN activation of an iteration (Swi+FT switches to RELU for the final fraction of iterations). */
  activationAt(iteration: number): FfnActivation {
    return scheduledActivation(this.policy.config, iteration, this.totalIterations);
  }

  private activation(): FfnActivation {
    return this.activationAt(this.iteration);
  }

  /** u_x per group from G answers of the frozen initial policy to the same prompt (docs/methods.md §5.5; the paper scores prompts once before training). */
  private async weighPrompts(groups: Group[], round: number): Promise<void> {
    const { cfg, tokenizer: tok } = this;
    const G = cfg.num_generations;
    const prompts = groups.flatMap((g) => Array.from({ length: G }, () => [BOS, ...tok.encode(g.instance.prompt)]));
    const rollouts = await generate(this.be, this.promptReference!, prompts, {
      maxNewTokens: cfg.max_completion_length,
      temperature: cfg.temperature,
      topK: cfg.top_k,
      topP: cfg.top_p,
      greedy: false,
      seed: this.seed ^ PROMPT_WEIGHT_SEED_XOR,
      stream: rolloutStream(this.iteration, round),
    });
    groups.forEach((g, gi) => {
      const answers = rollouts.slice(gi * G, (gi + 1) * G).map((r) => this.task.extractAnswer(tok.decode(r.tokens)));
      g.promptWeight = promptWeight(majorityShare(answers), cfg.restrain);
    });
  }

  /** Sample P groups; with dynamic sampling, replace zero-variance groups for up to the configured rounds. */
  private async collect(): Promise<{ groups: Group[]; sampled: Group[] }> {
    const P = this.cfg.prompts_per_step;
    const sampled: Group[] = [];
    let kept: Group[] = [];
    for (let round = 0; round <= this.cfg.dynamic_sampling_rounds && kept.length < P; round++) {
      const fresh = await this.sampleGroups(round === 0 ? P : P - kept.length, round);
      if (this.promptReference) await this.weighPrompts(fresh, round);
      // A zero-variance group has no advantage whatever the batch it ends up in.
      for (const g of fresh) g.zeroStd = this.advantages([outcome(g)]).advantages[0].every((a) => a === 0);
      sampled.push(...fresh);
      kept = this.cfg.dynamic_sampling_rounds > 0 ? [...kept, ...fresh.filter((g) => !g.zeroStd)] : fresh;
    }
    // Not enough informative groups after the last round: fill up with zero-variance ones (they add no gradient).
    for (const g of sampled) if (kept.length < P && !kept.includes(g)) kept.push(g);
    return { groups: kept, sampled };
  }

  /** Per-row log-probs of a batch's targets under a model (no gradient), at the sampling temperature. */
  private async logprobsOf(model: Transformer, b: PolicyBatch): Promise<Float32Array> {
    const g = new Graph(this.be, false);
    const { logits } = model.forward(g, g.input(b.ids, [b.B, b.T], 'i32'), g.input(b.positions, [b.B, b.T], 'i32'), {
      actSeeds: g.input(b.actSeeds, [b.B], 'i32'),
      activation: this.activation(),
    });
    const { logp } = tokenLogprobs(g, logits, g.input(b.targets, [b.B * b.T], 'i32'), this.cfg.temperature);
    const out = (await this.be.read(logp)) as Float32Array;
    g.dispose();
    return out;
  }

  private async optimize(b: PolicyBatch, old: Float32Array | null, ref: Float32Array | null): Promise<Metrics> {
    const { be, cfg } = this;
    const g = new Graph(be);
    this.policy.zeroGrads(be);
    const N = b.B * b.T;
    const { logits } = this.policy.forward(g, g.input(b.ids, [b.B, b.T], 'i32'), g.input(b.positions, [b.B, b.T], 'i32'), {
      actSeeds: g.input(b.actSeeds, [b.B], 'i32'),
      activation: this.activation(),
    });
    const { logp, entropy } = tokenLogprobs(g, logits, g.input(b.targets, [N], 'i32'), cfg.temperature);
    const weights = g.input(b.weights, [N]);
    const sequenceLevel = cfg.importance_sampling_level === 'sequence';
    // One optimizer step per generation batch is on-policy: the ratio is exactly 1 (TRL uses the detached current
    // log-probs as π_old).
    const oldT: Tensor = old ? g.input(old, [N]) : logp;
    const refT: Tensor = ref ? g.input(ref, [N]) : logp;
    const stats = policyLoss(
      g,
      logp,
      {
        oldLogp: oldT,
        refLogp: refT,
        advantages: g.input(b.advantages, [N]),
        weights,
        ...(sequenceLevel ? { sequenceMean: g.input(sequenceMeanWeights(b), [b.B, b.T]) } : {}),
      },
      { epsLow: cfg.epsilon, epsHigh: cfg.epsilon_high, beta: cfg.beta, delta: cfg.delta },
      { entropy, weights: g.input(b.entropyWeights, [N]), coef: cfg.entropy_coef },
    );
    g.backward(stats);
    const lr = warmupCosine(this.optimizerSteps, {
      lr: cfg.learning_rate,
      warmupSteps: cfg.warmup_steps,
      totalSteps: Math.max(1, this.totalIterations * cfg.num_iterations * cfg.minibatches),
      minLrRatio: GRPO_MIN_LR_RATIO,
    });
    this.opt.step({ lr, maxGradNorm: cfg.max_grad_norm });
    this.optimizerSteps++;
    const [s, ent, norm] = await Promise.all([be.read(stats), be.read(entropy), be.read(this.opt.stats)]);
    g.dispose();
    let loss = 0, kl = 0, entSum = 0, tokens = 0;
    for (let i = 0; i < N; i++) {
      loss += s[i];
      if (b.weights[i] === 0) continue;
      tokens++;
      kl += s[N + i];
      entSum += ent[i];
    }
    const t = Math.max(1, tokens);
    const clip = clipFractions(b, s.subarray(2 * N, 3 * N), sequenceLevel);
    loss -= cfg.entropy_coef * b.entropyWeights.reduce((a, w, i) => a + w * ent[i], 0);
    assertFiniteStep(
      `GRPO iteration ${this.iteration + 1}`,
      loss,
      norm[0],
      `Lower learning_rate (${lr.toExponential(1)} at this step) or max_grad_norm (${cfg.max_grad_norm}), then start again`,
    );
    return { loss, kl: kl / t, entropy: entSum / t, ...clip, grad_norm: norm[0], learning_rate: lr };
  }

  private records(groups: Group[], learned: Learned): RolloutRecord[] {
    const G = this.cfg.num_generations;
    return groups.flatMap((g, gi) =>
      g.rollouts.map((r, i): RolloutRecord => ({
        iteration: this.iteration,
        group: gi,
        prompt: g.instance.prompt,
        gold: g.instance.answer,
        completion: g.completions[i],
        tokens: r.tokens,
        logprobs: r.logprobs,
        refLogprobs: learned.refLogprobs?.[gi * G + i] ?? null,
        entropies: r.entropies,
        truncated: r.truncated,
        answer: g.scored[i].answer,
        correct: g.scored[i].correct,
        reward: g.scored[i].reward,
        parts: g.scored[i].parts,
        verdicts: g.scored[i].verdicts,
        advantage: g.advantages[i],
        actSeed: r.actSeed,
        minibatch: learned.minibatchOf[gi * G + i],
        pseudoLabel: g.labelFree?.majority ?? null,
      })),
    );
  }

  private metrics(groups: Group[], sampled: Group[], steps: Metrics[]): Metrics {
    const scored = groups.flatMap((g) => g.scored);
    const rewards = scored.map((s) => s.reward);
    const lengths = groups.flatMap((g) => g.rollouts.map((r) => r.tokens.length));
    const truncated = groups.flatMap((g) => g.rollouts.map((r) => r.truncated));
    const terminated = lengths.filter((_, i) => !truncated[i]);
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
    const avg = (k: string) => mean(steps.map((s) => s[k]));
    const m: Metrics = {
      step: this.iteration + 1,
      reward: mean(rewards),
      reward_std: sampleStd(rewards),
      frac_reward_zero_std: mean(sampled.map((g) => (g.zeroStd ? 1 : 0))),
      'completions/mean_length': mean(lengths),
      'completions/min_length': Math.min(...lengths),
      'completions/max_length': Math.max(...lengths),
      'completions/clipped_ratio': mean(truncated.map((t) => (t ? 1 : 0))),
      'completions/mean_terminated_length': mean(terminated),
      'completions/mean_length_correct': mean(lengths.filter((_, i) => scored[i].correct)),
      'completions/mean_length_incorrect': mean(lengths.filter((_, i) => !scored[i].correct)),
      entropy: avg('entropy'),
      'clip_ratio/low_mean': avg('low'),
      'clip_ratio/high_mean': avg('high'),
      'clip_ratio/region_mean': avg('low') + avg('high'),
      'clip_ratio/low_min': avg('low_min'),
      'clip_ratio/high_max': avg('high_max'),
      num_tokens: this.tokensSeen,
      loss: avg('loss'),
      grad_norm: avg('grad_norm'),
      learning_rate: steps[steps.length - 1].learning_rate,
      accuracy_train: mean(scored.map((s) => (s.correct ? 1 : 0))),
      groups_resampled: sampled.length - groups.length,
    };
    // As TRL: the KL to the reference is logged only when it is part of the loss.
    if (this.cfg.beta > 0) m.kl = avg('kl');
    for (const name of REWARD_NAMES) {
      const vals = scored.map((s) => s.parts[name]).filter((v): v is number => v !== undefined);
      if (!vals.length) continue;
      m[`rewards/${name}/mean`] = mean(vals);
      m[`rewards/${name}/std`] = sampleStd(vals);
    }
    if (this.cfg.label_mode !== 'gold') {
      const labelled = groups.filter((g) => g.labelFree?.majority !== null);
      m.pseudo_label_accuracy = mean(labelled.map((g) => (this.task.verify(g.labelFree!.majority, g.instance).score === 1 ? 1 : 0)));
      m.frac_penalised = mean(groups.map((g) => (g.labelFree?.penalised ? 1 : 0)));
      m.prompt_weight_mean = mean(groups.map((g) => g.promptWeight));
    }
    return m;
  }
}

/**
 * TRL's clip fractions of one optimizer step from the kernel's per-token clip flags. Token level: low/high are
 * fractions of the counted tokens, low_min/high_max the smallest/largest per-sequence fraction over the sequences
 * with counted tokens. Sequence level: every token of a sequence shares one flag, so each is a fraction of (or
 * min/max over) the minibatch's sequences, masked ones included (their ratio is 1, never clipped).
 */
function clipFractions(b: PolicyBatch, flags: ArrayLike<number>, sequenceLevel: boolean): Metrics {
  let low = 0, high = 0, counted = 0, lowMin = Infinity, highMax = -Infinity;
  for (const rows of b.completionRows) {
    const kept = rows.filter((r) => b.weights[r] !== 0);
    const seqLow = kept.filter((r) => flags[r] < 0).length, seqHigh = kept.filter((r) => flags[r] > 0).length;
    if (sequenceLevel) {
      const [isLow, isHigh] = rows.length ? [flags[rows[0]] < 0 ? 1 : 0, flags[rows[0]] > 0 ? 1 : 0] : [0, 0];
      low += isLow;
      high += isHigh;
      counted++;
      lowMin = Math.min(lowMin, isLow);
      highMax = Math.max(highMax, isHigh);
    } else if (kept.length) {
      low += seqLow;
      high += seqHigh;
      counted += kept.length;
      lowMin = Math.min(lowMin, seqLow / kept.length);
      highMax = Math.max(highMax, seqHigh / kept.length);
    }
  }
  const n = Math.max(1, counted);
  return { low: low / n, high: high / n, low_min: Number.isFinite(lowMin) ? lowMin : 0, high_max: Number.isFinite(highMax) ? highMax : 0 };
}

/** What a sampled group's advantages depend on. */
function outcome(g: Group): GroupOutcome {
  return { rewards: g.scored.map((s) => s.reward), answers: g.scored.map((s) => s.answer), promptWeight: g.promptWeight };
}

/** A frozen copy of the policy's current parameters (the KL reference). */
function cloneFrozen(be: Backend, model: Transformer): Transformer {
  const params = new Map(
    [...model.params].map(([name, p]) => {
      const value = be.zeros(p.value.shape, 'f32', `ref.${name}`);
      be.copy(p.value, value);
      return [name, { ...p, value, grad: be.zeros(p.value.shape, 'f32', `ref.grad.${name}`) }];
    }),
  );
  return Transformer.fromParams(model.config, params);
}

