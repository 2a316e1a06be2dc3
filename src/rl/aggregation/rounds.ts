/**
 * Test-time aggregation over T rounds on held-out problems (docs/reasoning.md, "Aggregation training"): round 0
 * samples a pool of m answers per problem; round t writes m answers from the aggregation prompt listing round t − 1's
 * answers. Reported beside the pass@1 of every round: the initial pool's pass@k and pass@m (the ceiling an aggregator
 * that picks from its pool cannot pass), and the majority and equivalence-aware votes over that pool (the baselines).
 */
import { mean } from '../grpo/metrics';
import { equivalenceVote, majorityVote, poolPassAtK } from '../reasoning/aggregation';
import type { Plot } from '../plots';
import { isCorrect, type Task, type TaskInstance } from '../tasks/types';
import type { Metrics } from '../trainer';
import type { AggregationConfig } from './config';
import { answerEquivalence, poolPrompt } from './pool';

/** m sampled completions for each prompt, in order; `round` picks the sampling stream. */
export type Sampler = (prompts: readonly string[], round: number) => Promise<string[][]>;

export interface RoundsResult {
  /** Mean correctness of the m answers of each round (round 0: the single-sample pass@1). */
  passAt1: number[];
  /** The initial pool's mean pass@k (the configured k) and pass@m over the problems. */
  poolPassAtK: number;
  poolPassAtM: number;
  /** Accuracy of the majority and of the equivalence-aware vote over the initial pool. */
  majorityVote: number;
  equivalenceVote: number;
  /** The prompts of every round (round 0: the problems), per problem. */
  prompts: string[][];
}

export async function aggregationRounds(task: Task, instances: readonly TaskInstance[], cfg: AggregationConfig, sample: Sampler): Promise<RoundsResult> {
  const grade = (answers: readonly (string | null)[], inst: TaskInstance) => answers.map((a) => isCorrect(task, a, inst));
  const answersOf = (completions: string[][]) => completions.map((cs) => cs.map((c) => task.extractAnswer(c)));
  let prompts = instances.map((inst) => inst.prompt);
  let answers = answersOf(await sample(prompts, 0));
  const pool = answers.map((a, i) => grade(a, instances[i]));
  const equivalent = answerEquivalence(task);
  const voteAccuracy = (vote: (a: readonly (string | null)[]) => { answer: string | null }) => mean(answers.map((a, i) => (isCorrect(task, vote(a).answer, instances[i]) ? 1 : 0)));
  const result: RoundsResult = {
    passAt1: [mean(pool.flat().map(Number))],
    poolPassAtK: mean(pool.map((c) => poolPassAtK(c, cfg.k))),
    poolPassAtM: mean(pool.map((c) => poolPassAtK(c, c.length))),
    majorityVote: voteAccuracy(majorityVote),
    equivalenceVote: voteAccuracy((a) => equivalenceVote(a, equivalent)),
    prompts: [prompts],
  };
  for (let round = 1; round <= cfg.rounds; round++) {
    prompts = instances.map((inst, i) => poolPrompt(inst.prompt, answers[i]));
    answers = answersOf(await sample(prompts, round));
    result.passAt1.push(mean(answers.flatMap((a, i) => grade(a, instances[i]).map(Number))));
    result.prompts.push(prompts);
  }
  return result;
}

/** The metrics of a held-out aggregation run: aggregation/pass@1_round{t} and the pool's ceiling and baselines. */
export function roundsMetrics(r: RoundsResult): Metrics {
  const m: Metrics = {};
  r.passAt1.forEach((p, t) => (m[`aggregation/pass@1_round${t}`] = p));
  m['aggregation/pool_pass@k'] = r.poolPassAtK;
  m['aggregation/pool_pass@m'] = r.poolPassAtM;
  m['aggregation/majority_vote'] = r.majorityVote;
  m['aggregation/equivalence_vote'] = r.equivalenceVote;
  return m;
}

/** Aggregation pass@1 per round against the initial pool's pass@k (its ceiling) and the two votes. */
export function roundsPlot(r: RoundsResult, cfg: AggregationConfig): Plot {
  const rounds = r.passAt1.map((_, t) => t);
  const flat = (y: number) => rounds.map((x) => ({ x, y }));
  return {
    id: 'aggregation-rounds',
    title: 'aggregation pass@1 per round vs the pool',
    xLabel: 'aggregation round (0 = single samples)',
    yLabel: 'held-out accuracy',
    kind: 'line',
    unit: true,
    series: [
      { label: 'aggregation pass@1', points: r.passAt1.map((y, x) => ({ x, y })) },
      { label: `pool pass@${cfg.k}`, points: flat(r.poolPassAtK) },
      { label: `pool pass@${cfg.pool_size} (ceiling)`, points: flat(r.poolPassAtM) },
      { label: 'majority vote', points: flat(r.majorityVote) },
      { label: 'equivalence-aware vote', points: flat(r.equivalenceVote) },
    ],
  };
}
