/**
 * Every RNG stream and counter layout of the app, with the limits it assumes. A draw is uniformAt(seed, stream,
 * counter) (rng.ts): two uses that share a seed must never share a (stream, counter) pair, or their "random"
 * numbers are the same numbers. The run config schema enforces the limits below (src/rl/runConfig.ts), and
 * tests/engine/streams.test.ts checks that the named streams stay clear of the rollout streams.
 *
 * Layout under a run's seed:
 * - named CPU streams (Rng, counter = draws so far): weight init, SFT batches, training prompts, held-out set;
 * - rollout sampling: stream = iteration · ROUND_SLOTS + round, counter = decoding step · rows + row;
 * - held-out pass@k sampling: its own named stream, same counter layout;
 * - stochA per-row activation seeds: the sampling stream at counters ACT_SEED_COUNTER + row.
 * The biased judge draws under its own seed with counter = judgeCall(iteration, round, group, i). Frozen-policy
 * rollouts (RESTRAIN prompt weights) and StepWiser read-outs use seeds derived from the run's (…_SEED_XOR).
 */

/** All three key words are taken as u32. */
const U32 = 2 ** 32;

/** Weight initialisation (model/params.ts). */
export const INIT_STREAM = 0x1417;
/** SFT warm-start batches (rl/warmStart.ts: the app, `cli train` and `cli sft` alike). */
export const SFT_STREAM = 0x5f7;
/** Training prompts (rl/grpo/trainer.ts, rl/dpo/trainer.ts: the same prompts for the same seed). */
export const TRAIN_STREAM = 0x7a1;
/** The held-out instances (rl/evaluate.ts). */
export const EVAL_STREAM = 0xe7a1;
/** Sampling of the held-out pass@k completions: not EVAL_STREAM, whose counters generate the held-out prompts. */
export const EVAL_SAMPLING_STREAM = 0xe7a2;
/** The frozen policy's prompt-weight rollouts (RESTRAIN) sample under the run seed xor this. */
export const PROMPT_WEIGHT_SEED_XOR = 0x5e7;
/**
 * StepWiser read-outs (worker/steps.ts) sample under the run seed xor this, stream = step prefix: the prefixes'
 * streams 0, 1, … would otherwise replay the first iteration's rollout draws.
 */
export const STEP_VALUES_SEED_XOR = 0x57e9;
/**
 * Aggregation training (rl/aggregation/trainer.ts) samples its pool once per iteration, in rollout round 0 (it has
 * no dynamic sampling), so the aggregator's rollouts take the iteration's round slot 1.
 */
export const AGGREGATOR_ROUND = 1;
/** Held-out aggregation rounds (rl/aggregation/rounds.ts) sample under the run seed xor this, stream = round. */
export const AGGREGATION_EVAL_SEED_XOR = 0xa99e;
/**
 * The StepWiser trainer (rl/stepwiser/trainer.ts) labels its training pool's steps under the run seed xor the
 * first, its held-out steps and chunk-reset problems under the run seed xor the second. Build b of the pool uses
 * seeds base + b · (solutions + 1) + 0..solutions (stepwiser.solutions ≤ 512 keeps builds apart).
 */
export const STEPWISER_POOL_SEED_XOR = 0x57ea;
export const STEPWISER_HELD_OUT_SEED_XOR = 0x57eb;
/** The answer-length probe of `cli sft`'s evaluation; it shares no run with rollouts. */
export const ANSWER_LENGTH_PROBE_STREAM = 2;
/**
 * The order of a generation batch's minibatches (rl/grpo/trainer.ts), split once per iteration (sub-stream =
 * iteration index, any u32), so the order is a pure function of (seed, iteration) and a resume needs no state.
 */
export const MINIBATCH_STREAM = 0x3b1;
/** DPO's draws of a correct and an incorrect completion per prompt (rl/dpo/pairs.ts), split by iteration like MINIBATCH_STREAM. */
export const PAIR_STREAM = 0xda1;

/** The resource guard's draws of prompts and demonstrations, to find the longest a run will see (rl/resourceGuard.ts). */
export const LENGTH_STREAM = 0x1e5;
/** The demonstrations of the backend probe's timed training step (worker/probeStep.ts). */
export const PROBE_STREAM = 0x9b0be;

/** The trace selectors' draws for a warm-start budget (rl/reasoning/traceSelection.ts). */
export const TRACE_SELECTION_STREAM = 0x75e1;

/**
 * Self-instruct (rl/selfInstruct/): split into sub-streams, 0 the seed instances, 1 the warm-start's proposal
 * demonstrations, 2 + iteration each proposal round's seed pairs (and the scripted proposer's draws).
 */
export const SELF_INSTRUCT_STREAM = 0x5e1f;
/**
 * Self-instruct's policy samples (proposals, the K answers per proposal and per seed) draw under the run seed xor
 * this, in the rollout stream of their iteration: the training rollouts of that iteration use the run seed itself.
 */
export const SELF_INSTRUCT_SEED_XOR = 0x5e1f5;
/** Trace-selection distillation (rl/distill/): the teacher's pool prompts and the student's minibatches (split per iteration). */
export const DISTILL_POOL_STREAM = 0x7d15;
export const DISTILL_BATCH_STREAM = 0x7d17;
/**
 * The teacher's pool samples under the run seed xor this, stream = pool slice (< POOL_SLICES of rl/distill/pool.ts),
 * so slices never replay the rollout streams' draws under the run seed.
 */
export const DISTILL_SAMPLING_SEED_XOR = 0x7d5;
/** The student and the second model initialise, and the second model's demonstrations draw, under the run seed xor these. */
export const DISTILL_STUDENT_SEED_XOR = 0x57d;
export const DISTILL_SECOND_SEED_XOR = 0x5ec;
/**
 * A trained judge's data, under judgeSeed (rl/judgeTraining/j1Judge.ts): the policy prompts of its pool of pairs
 * (split per rebuild) and of its held-out pairs, its batch draws (split per judge iteration) and the reward
 * pivots (split per policy iteration). Splits make each a pure function of its index, so a resume needs no state.
 */
export const J1_POOL_STREAM = 0x71b1;
export const J1_HELDOUT_STREAM = 0x71b2;
export const J1_BATCH_STREAM = 0x71b3;
export const J1_PIVOT_STREAM = 0x71b4;

/** Named streams of one run; each must stay out of the rollout streams (see ROUND_SLOTS). */
export const RUN_STREAMS: Readonly<Record<string, number>> = {
  INIT_STREAM,
  SFT_STREAM,
  TRAIN_STREAM,
  EVAL_STREAM,
  EVAL_SAMPLING_STREAM,
  MINIBATCH_STREAM,
  PAIR_STREAM,
  LENGTH_STREAM,
  PROBE_STREAM,
  TRACE_SELECTION_STREAM,
  SELF_INSTRUCT_STREAM,
  DISTILL_POOL_STREAM,
  DISTILL_BATCH_STREAM,
  J1_POOL_STREAM,
  J1_HELDOUT_STREAM,
  J1_BATCH_STREAM,
  J1_PIVOT_STREAM,
};

/**
 * Rollout streams give each GRPO iteration ROUND_SLOTS consecutive streams, one per dynamic-sampling round.
 * Rounds use slots 0..MAX_DYNAMIC_SAMPLING_ROUNDS; every named run stream sits in a slot above that (its value
 * mod ROUND_SLOTS exceeds MAX_DYNAMIC_SAMPLING_ROUNDS), so no rollout ever replays a named stream's draws.
 */
export const ROUND_SLOTS = 64;
export const MAX_DYNAMIC_SAMPLING_ROUNDS = 16;

export function rolloutStream(iteration: number, round: number): number {
  return iteration * ROUND_SLOTS + round;
}

/**
 * Judge calls of one iteration: JUDGE_CALLS_PER_ITERATION counters, one per completion over all rounds,
 * (round · prompts_per_step + group) · num_generations + i. So prompts_per_step · num_generations ·
 * (dynamic_sampling_rounds + 1) must not exceed it.
 */
export const JUDGE_CALLS_PER_ITERATION = 4096;

export function judgeCall(iteration: number, round: number, promptsPerStep: number, group: number, generations: number, i: number): number {
  return iteration * JUDGE_CALLS_PER_ITERATION + (round * promptsPerStep + group) * generations + i;
}

/** Both layouts stay below 2^32 up to this many iterations (the judge's is the tighter one). */
export const MAX_ITERATIONS_BY_STREAMS = U32 / JUDGE_CALLS_PER_ITERATION;

/**
 * stochA activation seeds take counters from here up in a sampling stream (model/generate.ts), so the token
 * draws (counter = step · rows + row) must stay below it: MAX_SAMPLING_COUNTER.
 */
export const ACT_SEED_COUNTER = 0x5ac70000;
export const MAX_SAMPLING_COUNTER = ACT_SEED_COUNTER;

/** Rng.split derives a sub-stream's seed from counter SPLIT_COUNTER + stream of the parent stream. */
export const SPLIT_COUNTER = 0x5eed0000;

/**
 * A judge trained beside the policy (rl/judgeTraining/judgeModel.ts) draws everything — its initial weights, SFT
 * batches, GRPO batches and rollouts — under the run seed xor this, on the same named streams as the policy, so
 * none of its draws replays one of the policy's.
 */
export const JUDGE_SEED_XOR = 0x1d9e;
