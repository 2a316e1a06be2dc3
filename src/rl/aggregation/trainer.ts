/**
 * Test-time aggregation trained end to end (Principia's ParaGator recipe, arXiv 2603.18886; docs/reasoning.md,
 * "Aggregation training"). One iteration, as step() reads:
 *   1. pool: sample P problems × m candidates and score them (GRPO's collection, with m completions per prompt);
 *   2. candidates' advantages: pass@k over each pool, A_correct = 1 − μ, A_incorrect = 1 − μ − C(N_inc−1, k−1)/
 *      C(N−1, k−1), no division by σ (reasoning/passAtK.ts);
 *   3. aggregation: the same policy reads each problem's aggregation prompt (its pool's answers listed after it) and
 *      writes G final answers, scored with the run's reward (pass@1 with the default `correct` weight); their
 *      advantages are GRPO's group advantages (scale_rewards as configured);
 *   4. learn: candidates and aggregations form one generation batch that GRPO's optimisation trains on (its loss
 *      types, minibatches and μ passes): both roles move in the same optimizer step(s), on-policy;
 *   5. report: records of both roles (aggregations are the groups after the pools) and the metrics.
 * evaluate() runs T aggregation rounds on the held-out problems (rounds.ts).
 * It is a GrpoTrainer whose step() builds the generation batch differently: the optimiser, learning-rate schedule,
 * reference policy, prompt stream and saved state are GRPO's.
 */
import type { Backend } from '../../engine/backend';
import { AGGREGATION_EVAL_SEED_XOR, AGGREGATOR_ROUND, judgeCall, rolloutStream } from '../../engine/streams';
import type { FfnActivation } from '../../model/config';
import { generate } from '../../model/generate';
import type { CharTokenizer } from '../../model/tokenizer';
import type { Transformer } from '../../model/transformer';
import { heldOutInstances } from '../evaluate';
import { groupAdvantages } from '../grpo/advantages';
import { collectGroups, scoreGroups, trainSequences, type Group } from '../grpo/collect';
import type { GrpoConfig } from '../grpo/config';
import { batchTokens, iterationMetrics, mean, rolloutRecords, type Learned } from '../grpo/metrics';
import { GrpoTrainer } from '../grpo/trainer';
import { passAtKAdvantages } from '../reasoning/passAtK';
import { poolPassAtK } from '../reasoning/aggregation';
import type { AsyncJudge, RewardConfig } from '../rewards';
import { groupedPrompts, samplingOptions } from '../sampling';
import type { Task } from '../tasks/types';
import type { IterationResult, Metrics, RolloutRecord } from '../trainer';
import type { Plot } from '../plots';
import { aggregationProblems, type AggregationConfig } from './config';
import { poolPrompt } from './pool';
import { aggregationRounds, roundsMetrics, roundsPlot } from './rounds';

export interface AggregationRun {
  difficulty: Record<string, number>;
  grpo: GrpoConfig;
  aggregation: AggregationConfig;
  rewards: RewardConfig;
  seed: number;
  /** Total iterations planned (for the learning-rate schedule). */
  iterations: number;
  /** Held-out problems of the aggregation rounds (the experiment's held-out set). */
  evalN: number;
}

export class AggregationTrainer extends GrpoTrainer {
  constructor(
    be: Backend,
    policy: Transformer,
    tokenizer: CharTokenizer,
    task: Task,
    readonly run: AggregationRun,
    modelJudge?: AsyncJudge,
  ) {
    super(be, policy, tokenizer, task, run.difficulty, run.grpo, run.rewards, run.seed, run.iterations, modelJudge);
    const problems = aggregationProblems(run.aggregation);
    if (problems.length) throw new Error(`invalid aggregation config: ${problems.join('; ')}`);
    if (run.grpo.label_mode !== 'gold' || run.grpo.dynamic_sampling_rounds !== 0) {
      throw new Error('aggregation training needs grpo.label_mode "gold" and grpo.dynamic_sampling_rounds 0');
    }
  }

  override async step(): Promise<IterationResult> {
    const t0 = performance.now();
    const activation = this.activationAt(this.iteration);
    const pools = await this.samplePools(activation);
    const aggregations = await this.aggregate(pools, activation);
    const tRollout = performance.now();

    for (const g of pools) g.advantages = passAtKAdvantages(g.scored.map((s) => s.correct), this.run.aggregation.k);
    const G = this.cfg.num_generations;
    const flat = groupAdvantages(aggregations.flatMap((g) => g.scored.map((s) => s.reward)), G, this.cfg.scale_rewards).advantages;
    aggregations.forEach((g, gi) => (g.advantages = flat.slice(gi * G, (gi + 1) * G)));
    for (const g of [...pools, ...aggregations]) g.zeroStd = g.advantages.every((a) => a === 0);
    const seqs = [...pools, ...aggregations].flatMap(trainSequences);
    const tScore = performance.now();

    const learned = await this.learn(seqs, this.minibatchOrder(seqs.length));
    const tTrain = performance.now();

    this.tokensSeen += batchTokens(pools) + batchTokens(aggregations);
    const metrics: Metrics = {
      ...iterationMetrics({ iteration: this.iteration, cfg: this.cfg, task: this.task, groups: pools, sampled: [...pools, ...aggregations], steps: learned.steps, tokensSeen: this.tokensSeen }),
      ...this.trainMetrics(pools, aggregations),
    };
    metrics.step_time = (tTrain - t0) / 1000;
    metrics['time/rollout'] = (tRollout - t0) / 1000;
    metrics['time/scoring'] = (tScore - tRollout) / 1000;
    metrics['time/optimization'] = (tTrain - tScore) / 1000;
    const rollouts = this.records(pools, aggregations, learned);
    this.iteration++;
    return { metrics, rollouts };
  }

  /** T aggregation rounds on the held-out problems, at the activation the policy last trained with. */
  async evaluate(): Promise<{ metrics: Metrics; plots: Plot[] }> {
    const activation = this.activationAt(Math.max(0, this.iteration - 1));
    const m = this.run.aggregation.pool_size;
    const instances = heldOutInstances(this.task, this.run.difficulty, this.run.evalN, this.run.seed);
    const result = await aggregationRounds(this.task, instances, this.run.aggregation, async (prompts, round) => {
      const rollouts = await generate(this.be, this.policy, groupedPrompts(this.tokenizer, prompts, m), samplingOptions(this.cfg, this.run.seed ^ AGGREGATION_EVAL_SEED_XOR, round, activation));
      return prompts.map((_, i) => rollouts.slice(i * m, (i + 1) * m).map((r) => this.tokenizer.decode(r.tokens)));
    });
    return { metrics: roundsMetrics(result), plots: [roundsPlot(result, this.run.aggregation)] };
  }

  /** P problems × m candidates, scored: GRPO's collection with pool_size completions per prompt. */
  private async samplePools(activation: FfnActivation): Promise<Group[]> {
    const cfg = { ...this.cfg, num_generations: this.run.aggregation.pool_size };
    // Without dynamic sampling every group is kept; zeroStd is set from the pass@k advantages in step().
    const collector = { ...this.collector(), cfg, zeroVariance: () => false };
    return (await collectGroups(collector, this.iteration, activation)).groups;
  }

  /** G answers per problem from the aggregation prompt over its pool, scored against the problem itself. */
  private async aggregate(pools: readonly Group[], activation: FfnActivation): Promise<Group[]> {
    const { cfg, tokenizer: tok } = this;
    const G = cfg.num_generations, m = this.run.aggregation.pool_size, P = pools.length;
    const prompts = pools.map((g) => poolPrompt(g.instance.prompt, g.scored.map((s) => s.answer)));
    const rollouts = await generate(this.be, this.policy, groupedPrompts(tok, prompts, G), samplingOptions(cfg, this.seed, rolloutStream(this.iteration, AGGREGATOR_ROUND), activation));
    // Judge counters continue after the pools' P·m: group P of a layout with m per group, then on.
    const groups = await scoreGroups(this.collector(), pools.map((g) => g.instance), rollouts, G, (gi, i) => judgeCall(this.iteration, 0, P, P, m, gi * G + i));
    // Scored against the problem (a verifier may read its prompt); recorded with the prompt the aggregator read.
    return groups.map((g, gi) => ({ ...g, instance: { ...g.instance, prompt: prompts[gi] } }));
  }

  /** The aggregator's pass@1 and the pools' pass@k this iteration, beside GRPO's metrics of the candidates. */
  private trainMetrics(pools: readonly Group[], aggregations: readonly Group[]): Metrics {
    const correct = (g: Group) => g.scored.map((s) => s.correct);
    return {
      'aggregation/train_pass@1': mean(aggregations.flatMap((g) => correct(g).map(Number))),
      'aggregation/train_candidate_accuracy': mean(pools.flatMap((g) => correct(g).map(Number))),
      'aggregation/train_pool_pass@k': mean(pools.map((g) => poolPassAtK(correct(g), this.run.aggregation.k))),
    };
  }

  /** Records of the candidates (groups 0 … P − 1) and of the aggregations (groups P … 2P − 1). */
  private records(pools: readonly Group[], aggregations: readonly Group[], learned: Learned): RolloutRecord[] {
    const split = this.run.aggregation.pool_size * pools.length;
    const part = (from: number, to?: number): Learned => ({
      ...learned,
      minibatchOf: learned.minibatchOf.slice(from, to),
      tokenWeights: learned.tokenWeights.slice(from, to),
      refLogprobs: learned.refLogprobs?.slice(from, to) ?? null,
    });
    const candidates = rolloutRecords(this.iteration, pools, part(0, split), this.run.aggregation.pool_size);
    const aggregated = rolloutRecords(this.iteration, aggregations, part(split), this.cfg.num_generations).map((r) => ({ ...r, group: r.group + pools.length }));
    return [...candidates, ...aggregated];
  }
}

