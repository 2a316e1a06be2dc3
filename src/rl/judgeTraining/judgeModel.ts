/**
 * A judge model trained beside the policy (J1, the on-policy reward model, StepWiser; docs/judges.md): a second
 * tiny transformer over its judge task's own alphabet, warmed up by SFT on the task's demonstrations, then
 * GRPO-trained one iteration at a time on groups its trainer builds (both orders of J1 pairs, labelled steps…).
 * The GRPO math is GrpoTrainer's own (advantages(), learn()); only the sampling is done here, because the judge's
 * prompts come from outside rather than from a task's generator.
 *
 * Every draw of a judge (init, SFT batches, rollouts, minibatch order) is under judgeSeed(run seed), so its streams
 * never replay the policy's.
 *
 * Usage:
 *   const judge = createJudgeModel(be, task, { preset: 'tiny', contextLength: 48 }, judgeSeed(run.seed));
 *   await warmUpJudge(be, judge, task, { steps: 300, batch: 16, lr: 3e-3 }, judgeSeed(run.seed));
 *   const grpo = new JudgeGrpo(be, judge, task, judgeGrpoConfig(run.grpo, { ... }), judgeSeed(run.seed), totalIterations);
 *   const it = await grpo.iterate(prompts, (outputs) => outputs.map(...rewards per prompt...));
 */
import type { Backend } from '../../engine/backend';
import { JUDGE_SEED_XOR, rolloutStream } from '../../engine/streams';
import { presetConfig, type PresetName } from '../../model/config';
import { generate, type Rollout } from '../../model/generate';
import type { SftStepMetrics } from '../../model/sft';
import { CharTokenizer } from '../../model/tokenizer';
import { Transformer } from '../../model/transformer';
import { readWeights, writeWeights, type Weights } from '../../model/weights';
import { GrpoTrainer } from '../grpo/trainer';
import type { GrpoConfig } from '../grpo/config';
import type { TrainSequence } from '../grpo/batch';
import type { Learned } from '../grpo/metrics';
import { NEUTRAL_JUDGE } from '../judges/biased';
import type { RewardConfig } from '../rewards';
import { groupedPrompts, samplingOptions } from '../sampling';
import type { Task } from '../tasks/types';
import type { RolloutRecord, TrainerState } from '../trainer';
import { DemonstrationStream, warmStartTrainer } from '../warmStart';

/** The seed every draw of a run's judge is made under. */
export function judgeSeed(runSeed: number): number {
  return (runSeed ^ JUDGE_SEED_XOR) >>> 0;
}

/** A judge's model and the tokenizer over its task's alphabet (the policy's alphabet plus the format's markers). */
export interface JudgeModel {
  model: Transformer;
  tokenizer: CharTokenizer;
}

export interface JudgeModelSettings {
  preset: PresetName;
  /** Judge prompt + output, in tokens (BOS included). */
  contextLength: number;
}

/** A freshly initialised judge for a judge task (seeded: the same seed gives the same weights). */
export function createJudgeModel(be: Backend, task: Pick<Task, 'alphabet'>, settings: JudgeModelSettings, seed: number): JudgeModel {
  const tokenizer = new CharTokenizer(task.alphabet);
  const model = Transformer.init(be, presetConfig(settings.preset, tokenizer.vocabSize, { contextLength: settings.contextLength }), seed);
  return { model, tokenizer };
}

export interface JudgeSftSettings {
  steps: number;
  batch: number;
  lr: number;
}

/** SFT warm-up on the judge task's demonstrations (the policy's warm-start procedure, on the judge's seed). */
export async function warmUpJudge(be: Backend, judge: JudgeModel, task: Task, sft: JudgeSftSettings, seed: number): Promise<SftStepMetrics[]> {
  const trainer = warmStartTrainer(be, judge.model, judge.tokenizer, sft);
  const demos = new DemonstrationStream(task, {}, seed, sft.batch);
  const out: SftStepMetrics[] = [];
  for (let s = 0; s < sft.steps; s++) out.push(await trainer.step(demos.next()));
  return out;
}

/** What a judge's GRPO differs in from the policy's: its group shape, budget and learning rate. */
export interface JudgeGrpoSettings {
  /** Judge prompts per iteration (e.g. 2 × pairs, both orders). */
  prompts: number;
  /** Rollouts per judge prompt (G ≥ 2). */
  generations: number;
  /** The judge's output budget in tokens. */
  maxOutput: number;
  learningRate: number;
}

/** The run's GRPO settings (sampling temperature, clipping, loss) with the judge's group shape: no reference, gold rewards. */
export function judgeGrpoConfig(base: GrpoConfig, s: JudgeGrpoSettings): GrpoConfig {
  return {
    ...base,
    prompts_per_step: s.prompts,
    num_generations: s.generations,
    max_completion_length: s.maxOutput,
    learning_rate: s.learningRate,
    beta: 0,
    label_mode: 'gold',
    dynamic_sampling_rounds: 0,
    minibatches: 1,
  };
}

/** The judge's rewards come from the caller (iterate's rewardsOf); the trainer's own reward settings are unused. */
const JUDGE_REWARDS: RewardConfig = { weights: { correct: 1 }, overlongCache: 0, judge: NEUTRAL_JUDGE };

/** One judge GRPO iteration: per judge prompt, its G outputs, their rewards and advantages. */
export interface JudgeIteration {
  outputs: string[][];
  rewards: number[][];
  advantages: number[][];
  rollouts: Rollout[][];
  learned: Learned;
}

/** What a judge trainer reads of one of its outputs: the verdict it gave and how that was scored. */
export type JudgedOutput = Pick<RolloutRecord, 'answer' | 'correct' | 'parts' | 'verdicts'>;

/**
 * A judge iteration's outputs as the inspector's rollout records (prompt: what was judged; gold: the right verdict),
 * each with what `judged` reads of output k of prompt g.
 */
export function judgeRolloutRecords(
  iteration: number,
  prompts: ReadonlyArray<{ prompt: string; answer: string }>,
  it: JudgeIteration,
  judged: (g: number, k: number) => JudgedOutput,
): RolloutRecord[] {
  const G = it.outputs[0]?.length ?? 0;
  return prompts.flatMap((inst, g) =>
    it.rollouts[g].map((r, k): RolloutRecord => ({
      iteration,
      group: g,
      prompt: inst.prompt,
      gold: inst.answer,
      completion: it.outputs[g][k],
      tokens: r.tokens,
      logprobs: r.logprobs,
      refLogprobs: null,
      entropies: r.entropies,
      truncated: r.truncated,
      ...judged(g, k),
      reward: it.rewards[g][k],
      advantage: it.advantages[g][k],
      actSeed: r.actSeed,
      minibatch: it.learned.minibatchOf[g * G + k],
      pseudoLabel: null,
    })),
  );
}

/** What learning needs of a sampled judge output. */
export type JudgeOutput = Pick<Rollout, 'prompt' | 'tokens' | 'truncated' | 'actSeed'>;

/** Rewards of each prompt's G outputs, in the order the prompts were given. */
export type JudgeRewards = (outputs: string[][]) => number[][];

/**
 * GRPO for a judge on externally built prompts: sample G outputs per prompt, reward them with the caller's
 * function, then GrpoTrainer's advantages() and learn() (one optimizer step per iteration, the run's loss).
 */
export class JudgeGrpo {
  private readonly trainer: GrpoTrainer;

  constructor(
    readonly be: Backend,
    readonly judge: JudgeModel,
    /** The judge's task (GrpoTrainer keeps it; the prompts given to iterate() need not come from it). */
    task: Task,
    readonly cfg: GrpoConfig,
    readonly seed: number,
    /** Judge iterations planned (the learning-rate schedule's length). */
    totalIterations: number,
  ) {
    this.trainer = new GrpoTrainer(be, judge.model, judge.tokenizer, task, {}, cfg, JUDGE_REWARDS, seed, Math.max(1, totalIterations));
  }

  get iteration(): number {
    return this.trainer.iteration;
  }

  /** Sample, reward and learn from one batch of judge prompts. */
  async iterate(prompts: readonly string[], rewardsOf: JudgeRewards): Promise<JudgeIteration> {
    const rollouts = await this.sample(prompts, rolloutStream(this.trainer.iteration, 0));
    const outputs = rollouts.map((rs) => rs.map((r) => this.judge.tokenizer.decode(r.tokens)));
    const rewards = rewardsOf(outputs);
    const { advantages, learned } = await this.learnGroups(rollouts, rewards);
    return { outputs, rewards, advantages, rollouts, learned };
  }

  /**
   * The learning half of an iteration, on given outputs (G per prompt, each with BOS + prompt ids) and their
   * rewards: GrpoTrainer's advantages() of the batch, then learn() — one GRPO step at the run's loss.
   */
  async learnGroups(outputs: ReadonlyArray<ReadonlyArray<JudgeOutput>>, rewards: readonly number[][]): Promise<{ advantages: number[][]; learned: Learned }> {
    const G = this.cfg.num_generations;
    if (rewards.length !== outputs.length || rewards.some((r) => r.length !== G)) throw new Error(`judge GRPO: the rewards must be ${outputs.length} groups of ${G}`);
    const { advantages } = this.trainer.advantages(rewards.map((r) => ({ rewards: r, answers: r.map(() => null), promptWeight: 1 })));
    const seqs = outputs.flatMap((rs, gi) =>
      rs.map((r, i): TrainSequence => ({ prompt: r.prompt.slice(1), completion: r.tokens, truncated: r.truncated, advantage: advantages[gi][i], actSeed: r.actSeed })),
    );
    const learned = await this.trainer.learn(seqs, this.trainer.minibatchOrder(seqs.length));
    this.trainer.iteration++;
    return { advantages, learned };
  }

  /** G sampled outputs per prompt at the judge's sampling settings, on its seed and the given stream. */
  async sample(prompts: readonly string[], stream: number): Promise<Rollout[][]> {
    const G = this.cfg.num_generations;
    const flat = await generate(this.be, this.judge.model, groupedPrompts(this.judge.tokenizer, prompts, G), samplingOptions(this.cfg, this.seed, stream));
    return prompts.map((_, i) => flat.slice(i * G, (i + 1) * G));
  }

  /** The judge's weights and optimiser state (between iterations only). */
  async saveState(): Promise<{ weights: Weights; trainer: TrainerState }> {
    return { weights: await readWeights(this.be, this.judge.model), trainer: await this.trainer.saveState() };
  }

  loadState(state: { weights: Weights; trainer: TrainerState }): void {
    writeWeights(this.be, this.judge.model, state.weights);
    this.trainer.loadState(state.trainer);
  }

  /**
   * The same state as named weight maps, for TrainerState.models of the algorithm that owns the judge: `name`
   * holds the weights, `name/adam_m` and `name/adam_v` the optimiser's moments, `name/counters` its step counts
   * (as f32, exact below 2^24 steps — far beyond any run's bounds).
   */
  async saveModels(name: string): Promise<Record<string, Weights>> {
    const { weights, trainer } = await this.saveState();
    const moment = (k: 'm' | 'v') => new Map([...trainer.optimizer.moments].map(([p, mv]) => [p, mv[k]]));
    const counters = new Map(Object.entries({ iteration: trainer.iteration, optimizerSteps: trainer.optimizerSteps, adamSteps: trainer.optimizer.steps }).map(([k, v]) => [k, Float32Array.of(v)]));
    return { [name]: weights, [`${name}/adam_m`]: moment('m'), [`${name}/adam_v`]: moment('v'), [`${name}/counters`]: counters };
  }

  loadModels(models: Readonly<Record<string, Weights>> | undefined, name: string): void {
    const get = (key: string) => {
      const w = models?.[key];
      if (!w) throw new Error(`judge: the saved state has no "${key}" (was it saved by a run that trains a judge?)`);
      return w;
    };
    const counters = get(`${name}/counters`), m = get(`${name}/adam_m`), v = get(`${name}/adam_v`);
    const count = (k: string) => counters.get(k)?.[0] ?? 0;
    const moments = new Map([...m].map(([p, mm]) => [p, { m: mm, v: v.get(p) ?? new Float32Array(0) }]));
    this.loadState({
      weights: get(name),
      trainer: { iteration: count('iteration'), optimizerSteps: count('optimizerSteps'), rngPosition: 0, tokensSeen: 0, optimizer: { steps: count('adamSteps'), moments }, frozen: null },
    });
  }
}
