/**
 * The SFT warm-start on task demonstrations, one procedure for the app, the worker, `cli train` and `cli sft`: the
 * same demonstrations from the same RNG stream and the same trainer settings, so one seed gives one model everywhere.
 */
import type { Backend } from '../engine/backend';
import { Rng } from '../engine/rng';
import { SFT_STREAM } from '../engine/streams';
import { DEFAULT_SFT, SftTrainer, type Demonstration } from '../model/sft';
import type { CharTokenizer } from '../model/tokenizer';
import type { Transformer } from '../model/transformer';
import type { Task } from './tasks/types';


/** Where the warm-start takes each step's batch of demonstrations from. */
export interface DemonstrationSource {
  next(): Demonstration[];
}

/** `batch` fresh demonstrations per step, drawn from the run seed's SFT stream. */
export class DemonstrationStream implements DemonstrationSource {
  private readonly rng: Rng;

  constructor(
    readonly task: Task,
    readonly difficulty: Record<string, number>,
    seed: number,
    readonly batch: number,
  ) {
    this.rng = new Rng(seed, SFT_STREAM);
  }

  next(): Demonstration[] {
    return Array.from({ length: this.batch }, () => {
      const inst = this.task.generate(this.rng, this.difficulty);
      return { prompt: inst.prompt, completion: inst.demonstration };
    });
  }
}

/**
 * The warm-start's trainer: DEFAULT_SFT with the run's steps and learning rate, at the configured FFN activation
 * (Swi+FT's switch to RELU belongs to the end of training, the final GRPO iterations, not to the end of the warm-start).
 */
export function warmStartTrainer(be: Backend, policy: Transformer, tokenizer: CharTokenizer, opts: { steps: number; lr: number }): SftTrainer {
  return new SftTrainer(be, policy, tokenizer, { ...DEFAULT_SFT, steps: opts.steps, lr: opts.lr }, policy.config.activation);
}
