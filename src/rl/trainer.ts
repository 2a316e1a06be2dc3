/**
 * The contract every training algorithm meets (GRPO and GSPO in src/rl/grpo/, the others beside it), and the
 * records and metrics they all produce. The experiment (src/rl/experiment.ts) picks the trainer from
 * `run.algorithm` (src/rl/trainers.ts); the worker, CLI, bench, curves and inspectors see only this.
 */
import type { AdamWState } from '../engine/optim';
import type { FfnActivation } from '../model/config';
import type { Weights } from '../model/weights';
import type { Verdict } from './judges/verdict';
import type { Plot } from './plots';
import type { RewardName } from './rewards';

export interface Trainer {
  /** Iterations done so far. */
  readonly iteration: number;
  /** One iteration: sample, score, learn. */
  step(): Promise<IterationResult>;
  /** Read the state back from the device (between iterations only). */
  saveState(): Promise<TrainerState>;
  /** Continue from a saved state; call on a fresh trainer whose policy holds the weights saved with it. */
  loadState(state: TrainerState): void;
  /** The FFN activation the policy trains with at an iteration (Swi+FT switches it near the end). */
  activationAt(iteration: number): FfnActivation;
  /**
   * Held-out measurements of the algorithm's own (a trained judge's accuracy, a distilled student's), added to the
   * iteration's metrics whenever the experiment evaluates the policy.
   */
  evaluate?(): Promise<{ metrics: Metrics; plots?: Plot[] }>;
}

/** One sampled completion as an algorithm used it, with its per-token values, reward parts and verdicts. */
export interface RolloutRecord {
  iteration: number;
  group: number;
  prompt: string;
  gold: string;
  completion: string;
  tokens: number[];
  logprobs: number[];
  /** Log-probs under the reference policy (when the algorithm has one). */
  refLogprobs: number[] | null;
  entropies: number[];
  truncated: boolean;
  answer: string | null;
  correct: boolean;
  reward: number;
  parts: Partial<Record<RewardName, number>>;
  verdicts: Partial<Record<RewardName, Verdict>>;
  /** Its weight in the loss: the GRPO advantage; for DPO +1 chosen, −1 rejected, 0 not in a pair. */
  advantage: number;
  actSeed: number;
  /** The optimisation minibatch it trained in (after the seeded shuffle of the generation batch). */
  minibatch: number;
  /** Label-free modes: the pseudo-label this rollout's group trained toward (majority answer). */
  pseudoLabel: string | null;
}

export type Metrics = Record<string, number>;

export interface IterationResult {
  metrics: Metrics;
  rollouts: RolloutRecord[];
  /** Figures beyond the metric curves (src/rl/plots.ts), when the algorithm draws any this iteration. */
  plots?: Plot[];
}

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
  /** Further models an algorithm keeps besides the policy (DPO's generator and reference, a trained judge), by name. */
  models?: Record<string, Weights>;
  /** An algorithm's own JSON-able state besides weights (self-instruct's kept set), checked by it when loaded. */
  data?: unknown;
}
