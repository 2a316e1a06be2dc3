/**
 * Settings of the self-instruct algorithm (the run config's `selfInstruct` section): who proposes, how often,
 * how many proposals and answer samples, which filter keeps proposals for training, and how much of the
 * warm-start teaches the policy the proposal template. docs/reasoning.md describes the loop.
 */
import { intIn, numIn, oneOf, options, problemsOf } from '../../model/validation';

export const PROPOSERS = ['policy', 'scripted'] as const;
export type Proposer = (typeof PROPOSERS)[number];

/** Which proposals train: answer-matching, self-consistency (majority share ≥ threshold) or every parsed one. */
export const FILTERS = ['answer-matching', 'self-consistency', 'none'] as const;
export type SelfInstructFilter = (typeof FILTERS)[number];

/** What GRPO's reward checks a kept prompt's answers against: the proposer's stated answer, or the task's gold. */
export const LABELS = ['stated', 'gold'] as const;
export type SelfInstructLabel = (typeof LABELS)[number];

export interface SelfInstructConfig {
  /** The policy writing proposals from the template, or the scripted proposer of the task's grammar (baseline). */
  proposer: Proposer;
  /** A proposal round every this many iterations (GRPO trains on the kept set in between). */
  every: number;
  /** Proposals written per round, each from two seed instances. */
  proposals: number;
  /** K: policy answers sampled per proposal (and per seed prompt, for its pass rate). */
  answerSamples: number;
  filter: SelfInstructFilter;
  /**
   * 'stated' (CoT-Self-Instruct: synthetic prompts have no gold answer) rewards agreement with the proposer's stated
   * answer, so a wrong one the filter lets through trains the policy toward it; 'gold' uses the task's verifier.
   */
  label: SelfInstructLabel;
  /** Self-consistency keeps a proposal when its majority answer's share of the K answers is at least this. */
  threshold: number;
  /** Seed instances drawn once from the task: the proposer's examples and the seed prompts' pass rates. */
  seeds: number;
  /** The kept set GRPO samples from holds at most this many proposals (the newest). */
  pool: number;
  /** Share of each warm-start batch that demonstrates the proposal template (policy proposer only). */
  proposalShare: number;
  /** Token budget of a proposal the policy writes. */
  maxProposalLength: number;
}

export const DEFAULT_SELF_INSTRUCT: SelfInstructConfig = {
  proposer: 'policy',
  every: 1,
  proposals: 16,
  answerSamples: 8,
  filter: 'answer-matching',
  label: 'stated',
  threshold: 0.5,
  seeds: 16,
  pool: 64,
  proposalShare: 0.25,
  maxProposalLength: 12,
};

/** Size bounds of a round; K answers of every proposal and seed sample in one batch. */
export const SELF_INSTRUCT_LIMITS = { every: 1000, proposals: 256, answerSamples: 64, seeds: 256, pool: 4096, maxProposalLength: 64 } as const;

export const SelfInstructSchema = options({
  proposer: oneOf(PROPOSERS),
  every: intIn(1, SELF_INSTRUCT_LIMITS.every),
  proposals: intIn(1, SELF_INSTRUCT_LIMITS.proposals),
  answerSamples: intIn(1, SELF_INSTRUCT_LIMITS.answerSamples),
  filter: oneOf(FILTERS),
  label: oneOf(LABELS),
  threshold: numIn(0, 1, { min: true }),
  seeds: intIn(2, SELF_INSTRUCT_LIMITS.seeds),
  pool: intIn(1, SELF_INSTRUCT_LIMITS.pool),
  proposalShare: numIn(0, 1, { max: true }),
  maxProposalLength: intIn(1, SELF_INSTRUCT_LIMITS.maxProposalLength),
});

/** Every problem of a self-instruct section as "setting: what is wrong" (empty when valid). */
export function selfInstructProblems(c: SelfInstructConfig): string[] {
  return problemsOf(SelfInstructSchema.safeParse(c));
}
