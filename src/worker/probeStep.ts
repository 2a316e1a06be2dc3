/**
 * The training step the backend choice times: one SFT step (forward, cross-entropy, backward, AdamW, and the
 * read-back of its loss) of the run's model on a batch as large as a GRPO optimizer step's, built from the
 * run's task. The first step compiles pipelines and warms the JIT and is not counted.
 */
import type { Backend } from '../engine/backend';
import { Rng } from '../engine/rng';
import { PROBE_STREAM } from '../engine/streams';
import { DEFAULT_SFT, SftTrainer } from '../model/sft';
import { CharTokenizer } from '../model/tokenizer';
import { Transformer } from '../model/transformer';
import { runModelConfig, type RunConfig } from '../rl/runConfig';
import { getTask } from '../rl/tasks/registry';

/** Timed steps after the warm-up one; the best counts (the least disturbed by whatever else runs). */
const TIMED_STEPS = 2;

/** Sequences in the probe step: one GRPO minibatch. */
export function probeBatch(run: RunConfig): number {
  return (run.grpo.prompts_per_step * run.grpo.num_generations) / run.grpo.minibatches;
}

/**
 * Best wall time in ms of a training step of the run's model on `be` (which is left holding the model: measure on
 * a backend you dispose). A timed step slower than `enoughMs` ends the timing early: that backend has lost anyway.
 */
export async function timeTrainingStep(be: Backend, run: RunConfig, enoughMs = Infinity): Promise<number> {
  const task = getTask(run.task);
  const model = Transformer.init(be, runModelConfig(run), run.seed);
  const trainer = new SftTrainer(be, model, new CharTokenizer(task.alphabet), { ...DEFAULT_SFT, steps: 1 + TIMED_STEPS });
  const rng = new Rng(run.seed, PROBE_STREAM);
  const demos = Array.from({ length: probeBatch(run) }, () => {
    const inst = task.generate(rng, run.difficulty);
    return { prompt: inst.prompt, completion: inst.demonstration };
  });
  await trainer.step(demos);
  let best = Infinity;
  for (let i = 0; i < TIMED_STEPS && (i === 0 || best <= enoughMs); i++) {
    const t0 = performance.now();
    await trainer.step(demos);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}
