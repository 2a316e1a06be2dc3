/**
 * Self-instruct (CoT-Self-Instruct, arXiv 2507.23751; docs/reasoning.md): every `every` iterations a proposal round
 * (round.ts) writes new task instances from pairs of seed instances and keeps those its filter accepts; each
 * iteration GRPO (grpo/trainer.ts, unchanged) trains on prompts drawn from the kept set, the newest `pool` of them.
 * Until the first proposal is kept, GRPO draws from the seed instances (self_instruct/trained_on_kept says which).
 */
import type { Backend } from '../../engine/backend';
import type { FfnActivation } from '../../model/config';
import type { CharTokenizer } from '../../model/tokenizer';
import type { Transformer } from '../../model/transformer';
import { GrpoTrainer } from '../grpo/trainer';
import { proposalGrammar, type ProposalGrammar } from '../reasoning/selfInstruct';
import type { AsyncJudge } from '../rewards';
import type { RunConfig } from '../runConfig';
import { isCorrect, type Task, type TaskInstance } from '../tasks/types';
import type { IterationResult, Trainer, TrainerState } from '../trainer';
import { selfInstructProblems, type SelfInstructConfig } from './config';
import { instancesTask, KEPT_SET_FORMAT, KEPT_SET_VERSION, parseKeptSet, trainingInstances, type KeptProposal, type KeptSet } from './keptSet';
import { proposalRound, seedInstances, type RoundResult } from './round';

export class SelfInstructTrainer implements Trainer {
  readonly grpo: GrpoTrainer;
  readonly seeds: TaskInstance[];
  readonly grammar: ProposalGrammar;
  readonly cfg: SelfInstructConfig;
  /** The kept proposals GRPO samples from, by prompt (a proposal kept again replaces the older copy). */
  private readonly kept = new Map<string, KeptProposal>();
  private keptList: KeptProposal[] = [];
  /** The kept set as GRPO trains on it (labelled as the config says). */
  private training: TaskInstance[] = [];
  /** The latest round's proposals as written, with their rejection reasons. */
  lastRound: RoundResult | null = null;

  constructor(
    readonly be: Backend,
    readonly policy: Transformer,
    readonly tokenizer: CharTokenizer,
    readonly task: Task,
    readonly run: RunConfig,
    modelJudge?: AsyncJudge,
  ) {
    this.cfg = run.selfInstruct;
    const problems = selfInstructProblems(this.cfg);
    if (problems.length) throw new Error(`invalid self-instruct config: ${problems.join('; ')}`);
    this.grammar = proposalGrammar(task.name);
    this.seeds = seedInstances(task, run.difficulty, run.seed, this.cfg.seeds);
    const training = instancesTask(task, () => (this.training.length ? this.training : this.seeds), `${task.title} (self-instruct kept set)`);
    this.grpo = new GrpoTrainer(be, policy, tokenizer, training, run.difficulty, run.grpo, run.rewards, run.seed, run.iterations, modelJudge);
  }

  get iteration(): number {
    return this.grpo.iteration;
  }

  async step(): Promise<IterationResult> {
    const iteration = this.iteration;
    let round: RoundResult | null = null;
    if (iteration % this.cfg.every === 0) {
      round = await proposalRound(
        {
          be: this.be,
          policy: this.policy,
          tokenizer: this.tokenizer,
          task: this.task,
          grammar: this.grammar,
          cfg: this.cfg,
          sampling: this.run.grpo,
          seed: this.run.seed,
          seeds: this.seeds,
          activation: this.activationAt(iteration),
        },
        iteration,
      );
      this.keep(round.kept);
      this.lastRound = round;
    }
    const trainedOnKept = this.keptList.length > 0;
    const result = await this.grpo.step();
    Object.assign(result.metrics, round?.metrics ?? {}, { 'self_instruct/pool': this.keptList.length, 'self_instruct/trained_on_kept': Number(trainedOnKept) });
    // How many of the labels GRPO rewards against are right (1 with gold labels).
    if (trainedOnKept) {
      const right = this.cfg.label === 'gold' ? this.keptList.length : this.keptList.filter((k) => isCorrect(this.task, k.stated, k)).length;
      result.metrics['self_instruct/pool_labels_correct'] = right / this.keptList.length;
    }
    // The difficulty histogram comes with the iterations that propose; the app keeps the latest of each plot.
    return round ? { ...result, plots: [...(result.plots ?? []), round.histogram] } : result;
  }

  /** The kept set so far as a file (keptSet.ts), to train another run on. */
  keptSet(): KeptSet {
    return {
      format: KEPT_SET_FORMAT,
      version: KEPT_SET_VERSION,
      task: this.task.name,
      proposer: this.cfg.proposer,
      filter: this.cfg.filter,
      label: this.cfg.label,
      seed: this.run.seed,
      iterations: this.iteration,
      instances: this.keptList.map((k) => ({ ...k })),
    };
  }

  activationAt(iteration: number): FfnActivation {
    return this.grpo.activationAt(iteration);
  }

  async saveState(): Promise<TrainerState> {
    return { ...(await this.grpo.saveState()), data: this.keptList.length ? this.keptSet() : null };
  }

  /** The GRPO state and the kept set (checked as a saved file would be). */
  loadState(state: TrainerState): void {
    this.grpo.loadState(state);
    this.kept.clear();
    this.keptList = [];
    this.training = [];
    if (state.data) this.keep(parseKeptSet(state.data).instances);
  }

  private keep(proposals: readonly KeptProposal[]): void {
    for (const p of proposals) {
      this.kept.delete(p.prompt);
      this.kept.set(p.prompt, p);
    }
    // The newest `pool` proposals (a Map iterates in insertion order).
    const all = [...this.kept.values()];
    for (const old of all.slice(0, Math.max(0, all.length - this.cfg.pool))) this.kept.delete(old.prompt);
    this.keptList = [...this.kept.values()];
    this.training = trainingInstances(this.task.name, this.keptList, this.cfg.label);
  }
}
