/**
 * Step 1 of a GRPO iteration: sample P prompts × G completions on the device and score them (verifier, judges,
 * shaping). With DAPO dynamic sampling, groups whose advantages are all zero are replaced for a bounded number of
 * rounds; RESTRAIN prompt weighting scores each prompt by the frozen initial policy's answer consistency.
 */
import type { Backend } from '../../engine/backend';
import type { Rng } from '../../engine/rng';
import { judgeCall, PROMPT_WEIGHT_SEED_XOR, rolloutStream } from '../../engine/streams';
import type { FfnActivation } from '../../model/config';
import { generate, type Rollout } from '../../model/generate';
import type { CharTokenizer } from '../../model/tokenizer';
import type { Transformer } from '../../model/transformer';
import { scoreCompletion, type AsyncJudge, type RewardConfig, type ScoredCompletion } from '../rewards';
import { groupedPrompts, samplingOptions } from '../sampling';
import type { Task, TaskInstance } from '../tasks/types';
import type { TrainSequence } from './batch';
import type { GrpoConfig } from './config';
import { majorityShare, promptWeight, type LabelFreeGroup } from './restrain';

/** A prompt's G scored completions, and what the advantage computation later sets on it. */
export interface Group {
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

/** What a group's advantages depend on: gold rewards, or the answers for the label-free modes. */
export interface GroupOutcome {
  rewards: number[];
  answers: Array<string | null>;
  /** RESTRAIN prompt weight u_x (1 when prompt weighting is off). */
  promptWeight: number;
}

/** A scored group's completions as training sequences (prompt without BOS), each with its advantage. */
export function trainSequences(g: Group): TrainSequence[] {
  return g.rollouts.map((r, i) => ({ prompt: r.prompt.slice(1), completion: r.tokens, truncated: r.truncated, advantage: g.advantages[i], actSeed: r.actSeed }));
}

export function outcome(g: Group): GroupOutcome {
  return { rewards: g.scored.map((s) => s.reward), answers: g.scored.map((s) => s.answer), promptWeight: g.promptWeight };
}

/** What collection reads from the trainer. */
export interface Collector {
  be: Backend;
  policy: Transformer;
  tokenizer: CharTokenizer;
  task: Task;
  difficulty: Record<string, number>;
  cfg: GrpoConfig;
  rewards: RewardConfig;
  seed: number;
  /** The trainer's prompt stream (advances as prompts are drawn). */
  rng: Rng;
  modelJudge?: AsyncJudge;
  /** The frozen initial policy whose answers weigh prompts (RESTRAIN), or null. */
  promptReference: Transformer | null;
  /** True when a group alone has all-zero advantages under the trainer's label mode. */
  zeroVariance(o: GroupOutcome): boolean;
}

/** The groups an iteration trains on, and every group sampled for it (resampled ones included, for the metrics). */
export interface Collected {
  groups: Group[];
  sampled: Group[];
}

/** Sample P groups; with dynamic sampling, replace zero-variance groups for up to the configured rounds. */
export async function collectGroups(c: Collector, iteration: number, activation: FfnActivation): Promise<Collected> {
  const P = c.cfg.prompts_per_step;
  const sampled: Group[] = [];
  let kept: Group[] = [];
  for (let round = 0; round <= c.cfg.dynamic_sampling_rounds && kept.length < P; round++) {
    const fresh = await sampleGroups(c, iteration, round, round === 0 ? P : P - kept.length, activation);
    if (c.promptReference) await weighPrompts(c, c.promptReference, fresh, iteration, round);
    // A zero-variance group has no advantage whatever the batch it ends up in.
    for (const g of fresh) g.zeroStd = c.zeroVariance(outcome(g));
    sampled.push(...fresh);
    kept = c.cfg.dynamic_sampling_rounds > 0 ? [...kept, ...fresh.filter((g) => !g.zeroStd)] : fresh;
  }
  // Not enough informative groups after the last round: fill up with zero-variance ones (they add no gradient).
  for (const g of sampled) if (kept.length < P && !kept.includes(g)) kept.push(g);
  return { groups: kept, sampled };
}

async function sampleGroups(c: Collector, iteration: number, round: number, count: number, activation: FfnActivation): Promise<Group[]> {
  const { cfg, tokenizer: tok } = c;
  const G = cfg.num_generations;
  const instances = Array.from({ length: count }, () => c.task.generate(c.rng, c.difficulty));
  const rollouts = await generate(c.be, c.policy, groupedPrompts(tok, instances.map((i) => i.prompt), G), samplingOptions(cfg, c.seed, rolloutStream(iteration, round), activation));
  return scoreGroups(c, instances, rollouts, G, (gi, i) => judgeCall(iteration, round, cfg.prompts_per_step, gi, G, i));
}

/** G consecutive rollouts per instance, decoded and scored against it; `judgeCounter(gi, i)` keys each judge call. */
export function scoreGroups(c: Collector, instances: readonly TaskInstance[], rollouts: readonly Rollout[], G: number, judgeCounter: (gi: number, i: number) => number): Promise<Group[]> {
  const { cfg, tokenizer: tok } = c;
  return Promise.all(
    instances.map(async (instance, gi) => {
      const rs = rollouts.slice(gi * G, (gi + 1) * G);
      const completions = rs.map((r) => tok.decode(r.tokens));
      const scored = await Promise.all(
        rs.map((r, i) => scoreCompletion(c.task, instance, completions[i], r.tokens.length, cfg.max_completion_length, c.rewards, judgeCounter(gi, i), c.modelJudge)),
      );
      return { instance, promptWeight: 1, rollouts: rs, scored, completions, labelFree: null, advantages: [], zeroStd: false };
    }),
  );
}

/** u_x per group from G answers of the frozen initial policy to the same prompt (docs/methods.md §5.5; the paper scores prompts once before training). */
async function weighPrompts(c: Collector, reference: Transformer, groups: Group[], iteration: number, round: number): Promise<void> {
  const { cfg, tokenizer: tok } = c;
  const G = cfg.num_generations;
  const prompts = groupedPrompts(tok, groups.map((g) => g.instance.prompt), G);
  // The frozen policy samples with its own training activation (no Swi+FT switch).
  const rollouts = await generate(c.be, reference, prompts, samplingOptions(cfg, c.seed ^ PROMPT_WEIGHT_SEED_XOR, rolloutStream(iteration, round)));
  groups.forEach((g, gi) => {
    const answers = rollouts.slice(gi * G, (gi + 1) * G).map((r) => c.task.extractAnswer(tok.decode(r.tokens)));
    g.promptWeight = promptWeight(majorityShare(answers), cfg.restrain);
  });
}
