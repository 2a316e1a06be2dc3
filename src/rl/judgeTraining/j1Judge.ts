/**
 * A J1 judge in training (Whitehouse et al., arXiv 2505.10320; docs/judges.md "The J1 trainer"): its model, a
 * pool of pairs built from the policy's answers, held-out pairs, and one GRPO iteration at a time on a batch
 * holding both orders of every pair it draws. Rewards: verdict correctness, plus J1's consistency reward (both
 * rollouts k of a pair get it when both orders are right). The `j1` algorithm drives it on a fixed policy; the
 * on-policy reward model refreshes it on the pairs of the policy's latest rollouts.
 */
import type { Backend } from '../../engine/backend';
import { Rng } from '../../engine/rng';
import { J1_BATCH_STREAM, J1_HELDOUT_STREAM, J1_POOL_STREAM, rolloutStream } from '../../engine/streams';
import { generate } from '../../model/generate';
import type { CharTokenizer } from '../../model/tokenizer';
import type { Transformer } from '../../model/transformer';
import { writeWeights, type Weights } from '../../model/weights';
import type { GrpoConfig } from '../grpo/config';
import { mean } from '../grpo/metrics';
import { verdict } from '../judges/verdict';
import { groupedPrompts, samplingOptions } from '../sampling';
import { isCorrect, type Task } from '../tasks/types';
import type { Metrics, RolloutRecord } from '../trainer';
import type { J1Config } from './config';
import { bothOrders, buildJudgePairs, j1Alphabet, consistencyRewards, j1Batch, j1Metrics, j1Task, parseJ1Verdict, verdictsByPair, type J1Instance, type J1Metrics, type JudgePair, type Letter, type PolicyGroup } from './j1';
import { createJudgeModel, judgeGrpoConfig, JudgeGrpo, judgeRolloutRecords, judgeSeed, warmUpJudge, type JudgeModel } from './judgeModel';
import { modelTextJudge, type TextJudge } from './textJudge';

/** The run's policy as the source of answers to judge. */
export interface PolicySource {
  be: Backend;
  policy: Transformer;
  tokenizer: CharTokenizer;
  task: Task;
  difficulty: Record<string, number>;
  /** The run's sampling settings (temperature, budget) and the judge's GRPO settings' base. */
  grpo: GrpoConfig;
  seed: number;
}

/** `prompts` task prompts, `answers` sampled policy answers each, graded by the task's verifier. */
export async function samplePolicyGroups(src: PolicySource, rng: Rng, stream: number, prompts: number, answers: number): Promise<PolicyGroup[]> {
  const { task, tokenizer: tok } = src;
  const instances = Array.from({ length: prompts }, () => task.generate(rng, src.difficulty));
  const rollouts = await generate(src.be, src.policy, groupedPrompts(tok, instances.map((i) => i.prompt), answers), samplingOptions(src.grpo, judgeSeed(src.seed), stream));
  return instances.map((inst, gi) => ({
    problem: inst.prompt,
    gold: inst.answer,
    answers: rollouts.slice(gi * answers, (gi + 1) * answers).map((r) => {
      const completion = tok.decode(r.tokens);
      return { completion, correct: isCorrect(task, task.extractAnswer(completion), inst) };
    }),
  }));
}

/** Policy groups from GRPO rollout records (the on-policy refresh: the rollouts the policy just trained on). */
export function groupsFromRollouts(records: readonly RolloutRecord[]): PolicyGroup[] {
  const byGroup = new Map<number, PolicyGroup>();
  for (const r of records) {
    const g = byGroup.get(r.group) ?? { problem: r.prompt, gold: r.gold, answers: [] };
    g.answers.push({ completion: r.completion, correct: r.correct });
    byGroup.set(r.group, g);
  }
  return [...byGroup.values()];
}

/**
 * Rewards of a judge batch's rollouts: verdict correctness, plus `consistencyWeight` × J1's consistency reward
 * (rollout k of order ab with rollout k of order ba). `letters[i]` are the verdicts of `batch[i]`'s rollouts.
 */
export function j1Rewards(batch: readonly J1Instance[], letters: ReadonlyArray<ReadonlyArray<Letter | null>>, consistencyWeight: number): number[][] {
  const pairs = verdictsByPair(batch, letters);
  const ids = [...new Set(batch.map((b) => b.pairId))];
  const consistent = new Map(ids.map((id, j) => [id, consistencyRewards(pairs[j])]));
  return batch.map((inst, i) => letters[i].map((l, k) => (l === inst.answer ? 1 : 0) + consistencyWeight * consistent.get(inst.pairId)![k]));
}

/** J1 metrics under `prefix` (e.g. "j1/" for the train batch, "j1/heldout_" for held-out pairs). */
export function j1MetricEntries(m: J1Metrics, prefix: string): Metrics {
  return {
    [`${prefix}accuracy_ab`]: m.accuracyAB,
    [`${prefix}accuracy_ba`]: m.accuracyBA,
    [`${prefix}consistent_accuracy`]: m.consistentAccuracy,
    [`${prefix}flip_rate`]: m.flipRate,
    [`${prefix}malformed_rate`]: m.malformedRate,
  };
}

/** What one judge iteration produced: its metrics and one record per judge rollout. */
export interface J1Step {
  metrics: Metrics;
  rollouts: RolloutRecord[];
}

export class J1Judge {
  readonly judge: JudgeModel;
  readonly grpo: JudgeGrpo;
  readonly heldOut: JudgePair[];
  private pool: JudgePair[];
  private readonly seed: number;

  /** Use J1Judge.create (the pools are sampled from the policy first). */
  private constructor(
    readonly src: PolicySource,
    readonly cfg: J1Config,
    pool: JudgePair[],
    heldOut: JudgePair[],
    totalIterations: number,
  ) {
    this.seed = judgeSeed(src.seed);
    this.pool = pool;
    this.heldOut = heldOut;
    const task = j1Task(src.task.alphabet, pool.flatMap(bothOrders));
    this.judge = createJudgeModel(src.be, task, { preset: cfg.judge_preset, contextLength: cfg.judge_context }, this.seed);
    const grpoCfg = judgeGrpoConfig(src.grpo, { prompts: 2 * cfg.pairs_per_batch, generations: cfg.generations_per_order, maxOutput: cfg.max_output, learningRate: cfg.learning_rate });
    this.grpo = new JudgeGrpo(src.be, this.judge, task, grpoCfg, this.seed, totalIterations);
  }

  /** Sample the first pool and the held-out pairs from the policy; the judge starts untrained (see warmUp). */
  static async create(src: PolicySource, cfg: J1Config, totalIterations: number): Promise<J1Judge> {
    const [pool, heldOut] = await Promise.all([
      poolPairs(src, cfg, 0),
      cfg.heldout_pairs > 0 ? sampledPairs(src, cfg, new Rng(judgeSeed(src.seed), J1_HELDOUT_STREAM), rolloutStream(0, 2)) : Promise.resolve([]),
    ]);
    if (pool.length < cfg.pairs_per_batch) throw new Error(poolTooSmall(pool.length, cfg));
    return new J1Judge(src, cfg, pool, heldOut.slice(0, cfg.heldout_pairs), totalIterations);
  }

  /** The pairs the judge trains on now. */
  get poolPairs(): readonly JudgePair[] {
    return this.pool;
  }

  /** The judge's longest prompt, in characters: its context minus BOS and its output budget. */
  get maxPromptChars(): number {
    return maxPromptChars(this.cfg);
  }

  /** SFT on the pool's demonstrations (both orders); returns the last step's loss. */
  async warmUp(): Promise<number> {
    const task = j1Task(this.src.task.alphabet, this.pool.flatMap(bothOrders));
    const steps = await warmUpJudge(this.src.be, this.judge, task, { steps: this.cfg.judge_sft_steps, batch: this.cfg.judge_sft_batch, lr: this.cfg.judge_sft_lr }, this.seed);
    return steps.length ? steps[steps.length - 1].loss : NaN;
  }

  /** Replace the pool: with fresh policy answers (rebuild index ≥ 1), or with given pairs (the on-policy refresh). */
  async refreshPool(rebuild: number): Promise<void> {
    this.setPool(await poolPairs(this.src, this.cfg, rebuild));
  }

  setPool(pairs: JudgePair[]): void {
    if (pairs.length < this.cfg.pairs_per_batch) throw new Error(poolTooSmall(pairs.length, this.cfg));
    this.pool = pairs;
  }

  /** One GRPO iteration on a batch of pairs drawn from the pool, both orders side by side. */
  async train(): Promise<J1Step> {
    const { cfg } = this;
    const iteration = this.grpo.iteration;
    const batch = j1Batch(this.pool, new Rng(this.seed, J1_BATCH_STREAM).split(iteration), cfg.pairs_per_batch);
    const weight = cfg.consistency_reward ? cfg.consistency_weight : 0;
    let letters: Array<Array<Letter | null>> = [];
    const it = await this.grpo.iterate(
      batch.map((b) => b.prompt),
      (outputs) => {
        letters = outputs.map((os) => os.map((o) => parseJ1Verdict(o).letter));
        return j1Rewards(batch, letters, weight);
      },
    );
    const steps = it.learned.steps;
    const metrics: Metrics = {
      ...j1MetricEntries(j1Metrics(verdictsByPair(batch, letters)), 'j1/'),
      'j1/reward': mean(it.rewards.flat()),
      'j1/pool_pairs': this.pool.length,
      'j1/loss': mean(steps.map((s) => s.loss)),
      'j1/grad_norm': mean(steps.map((s) => s.grad_norm)),
      'j1/entropy': mean(steps.map((s) => s.entropy)),
    };
    const rollouts = judgeRolloutRecords(iteration, batch, it, (gi, k) => {
      const inst = batch[gi];
      const letter = letters[gi][k];
      const v = letter === null ? verdict(0, 'malformed', 'no single [[A]] or [[B]] verdict at the end') : verdict(letter === inst.answer ? 1 : 0, letter === inst.answer ? 'correct' : 'wrong', `picked ${letter}; the correct answer in order ${inst.order} is ${inst.answer}`);
      return { answer: letter, correct: letter === inst.answer, parts: { correct: v.score }, verdicts: { correct: v } };
    });
    return { metrics, rollouts };
  }

  /** Greedy verdicts on the held-out pairs and on the training pool, under "j1/heldout_" and "j1/pool_" (or `prefix` + …). */
  async evaluateBoth(prefix = 'j1/'): Promise<Metrics> {
    return { ...j1MetricEntries(await this.evaluate(this.heldOut), `${prefix}heldout_`), ...j1MetricEntries(await this.evaluate(this.pool), `${prefix}pool_`) };
  }

  /** Greedy verdicts on pairs, both orders. */
  async evaluate(pairs: readonly JudgePair[]): Promise<J1Metrics> {
    const instances = pairs.flatMap(bothOrders);
    if (!instances.length) return j1Metrics([]);
    const tok = this.judge.tokenizer;
    const outs = await generate(this.src.be, this.judge.model, groupedPrompts(tok, instances.map((i) => i.prompt), 1), {
      maxNewTokens: this.cfg.max_output,
      temperature: 1,
      topK: 0,
      topP: 1,
      greedy: true,
      seed: this.seed,
    });
    return j1Metrics(verdictsByPair(instances, outs.map((r) => [parseJ1Verdict(tok.decode(r.tokens)).letter])));
  }

  /** The judge as text in → text out (greedy), e.g. for the policy's model_judge reward. */
  textJudge(): TextJudge {
    return modelTextJudge(this.src.be, this.judge.model, this.judge.tokenizer, this.cfg.max_output);
  }
}

function poolTooSmall(pairs: number, cfg: J1Config): string {
  return `J1: the policy's answers gave ${pairs} pairs of a correct and an incorrect answer to one prompt, fewer than j1.pairs_per_batch (${cfg.pairs_per_batch}): sample more (j1.pool_prompts, j1.pool_answers), or warm the policy up until it gets some answers right and some wrong`;
}

/**
 * A run's trained J1 judge rebuilt from its saved weights (TrainerState.models[name]), e.g. to write it as a
 * checkpoint and export it: same preset, context and alphabet as in training.
 */
export function savedJ1Judge(be: Backend, policyAlphabet: string, cfg: J1Config, weights: Weights): JudgeModel {
  const judge = createJudgeModel(be, { alphabet: j1Alphabet(policyAlphabet) }, { preset: cfg.judge_preset, contextLength: cfg.judge_context }, 0);
  writeWeights(be, judge.model, weights);
  return judge;
}

/** Pairs drawn per policy prompt for a pool: more variety of prompts per pool than of answers per prompt. */
const POOL_PAIRS_PER_PROMPT = 2;

function maxPromptChars(cfg: J1Config): number {
  return cfg.judge_context - 1 - cfg.max_output;
}

/** The pool of rebuild `rebuild`: fresh policy answers to fresh prompts (a split of the pool stream per rebuild). */
function poolPairs(src: PolicySource, cfg: J1Config, rebuild: number): Promise<JudgePair[]> {
  return sampledPairs(src, cfg, new Rng(judgeSeed(src.seed), J1_POOL_STREAM).split(rebuild), rolloutStream(rebuild, 1));
}

async function sampledPairs(src: PolicySource, cfg: J1Config, rng: Rng, stream: number): Promise<JudgePair[]> {
  const groups = await samplePolicyGroups(src, rng, stream, cfg.pool_prompts, cfg.pool_answers);
  return buildJudgePairs(groups, rng, { pairsPerPrompt: POOL_PAIRS_PER_PROMPT, maxPromptChars: maxPromptChars(cfg) }).pairs;
}
