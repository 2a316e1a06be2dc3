/**
 * The teacher's side of distillation: a pool of traces sampled once on fresh prompts, each with the answer of a
 * second model (an answer-only policy, NaturalThoughts' non-reasoning model) for the disagreement selector, and
 * the student's target made from a trace in each of the three modes.
 */
import type { Backend } from '../../engine/backend';
import { Rng } from '../../engine/rng';
import { DISTILL_POOL_STREAM, DISTILL_SAMPLING_SEED_XOR, DISTILL_SECOND_SEED_XOR } from '../../engine/streams';
import type { FfnActivation } from '../../model/config';
import { generate, type Rollout } from '../../model/generate';
import type { Demonstration } from '../../model/sft';
import type { CharTokenizer } from '../../model/tokenizer';
import type { Transformer } from '../../model/transformer';
import { evaluate } from '../evaluate';
import type { GrpoConfig } from '../grpo/config';
import type { Trace } from '../reasoning/traceSelection';
import { groupedPrompts, samplingOptions } from '../sampling';
import { THINK_MODES, withModeChar, type ThinkMode } from '../tasks/think';
import { isCorrect, type Task, type TaskInstance } from '../tasks/types';
import { DemonstrationStream, warmStartTrainer } from '../warmStart';

/** The most rows of one generate() call while sampling the pool: bounds the KV cache whatever the pool size. */
export const POOL_SLICE = 512;

/**
 * Rows per generate() call for the pool and the second model's answers: no more than the largest batch the resource
 * guard admitted for the run (its training rollouts or its held-out pass@k sampling), and at most POOL_SLICE.
 */
export function poolSlice(sampling: Pick<GrpoConfig, 'prompts_per_step' | 'num_generations'>, evalN: number): number {
  return Math.max(1, Math.min(POOL_SLICE, Math.max(sampling.prompts_per_step, evalN) * sampling.num_generations));
}

export interface PoolTrace extends Trace {
  instance: TaskInstance;
  /** The teacher's sample as generated (tokens up to EOS, their log-probs and entropies). */
  rollout: Rollout;
  correct: boolean;
}

/** One completion per fresh prompt (DISTILL_POOL_STREAM) from the teacher at the run's sampling settings. */
export async function sampleTeacherPool(
  be: Backend,
  teacher: Transformer,
  tok: CharTokenizer,
  task: Task,
  o: { difficulty: Record<string, number>; size: number; slice: number; sampling: GrpoConfig; seed: number; activation: FfnActivation },
): Promise<Omit<PoolTrace, 'secondAnswer'>[]> {
  const rng = new Rng(o.seed, DISTILL_POOL_STREAM);
  const instances = Array.from({ length: o.size }, () => task.generate(rng, o.difficulty));
  const out: Omit<PoolTrace, 'secondAnswer'>[] = [];
  for (let from = 0, slice = 0; from < instances.length; from += o.slice, slice++) {
    const part = instances.slice(from, from + o.slice);
    const rows = groupedPrompts(tok, part.map((i) => i.prompt), 1);
    const rollouts = await generate(be, teacher, rows, samplingOptions(o.sampling, o.seed ^ DISTILL_SAMPLING_SEED_XOR, slice, o.activation));
    rollouts.forEach((rollout, k) => {
      const text = tok.decode(rollout.tokens);
      const teacherAnswer = task.extractAnswer(text);
      out.push({ instance: part[k], rollout, text, teacherAnswer, correct: isCorrect(task, teacherAnswer, part[k]) });
    });
  }
  return out;
}

/** The second model: warm-started on answer-only demonstrations (mode 1), a System-1 policy with no scratchpad. */
export async function trainSecondModel(
  be: Backend,
  second: Transformer,
  tok: CharTokenizer,
  task: Task,
  o: { difficulty: Record<string, number>; steps: number; batch: number; lr: number; seed: number },
): Promise<void> {
  const answerOnly = { ...o.difficulty, mode: THINK_MODES.indexOf('answer-only') };
  const demos = new DemonstrationStream(task, answerOnly, o.seed ^ DISTILL_SECOND_SEED_XOR, o.batch);
  const trainer = warmStartTrainer(be, second, tok, { steps: o.steps, lr: o.lr });
  for (let s = 0; s < o.steps; s++) await trainer.step(demos.next());
}

/** The second model's greedy answers to the traces' prompts. */
export async function secondAnswers(
  be: Backend,
  second: Transformer,
  tok: CharTokenizer,
  task: Task,
  instances: TaskInstance[],
  o: { maxNewTokens: number; slice: number },
): Promise<(string | null)[]> {
  const { samples } = await evaluate(be, second, tok, task, instances, { maxNewTokens: o.maxNewTokens, batchSize: o.slice });
  return samples.map((s) => s.answer);
}

/** The traces a student may learn from: those with an answer, and only the correct ones when `correctOnly`. */
export function usableTraces(pool: readonly PoolTrace[], correctOnly: boolean): PoolTrace[] {
  return pool.filter((t) => t.teacherAnswer !== null && (t.correct || !correctOnly));
}

/**
 * The student's demonstration from a trace: the whole trace (think), the teacher's answer alone (answer-only), or in
 * mixed mode the trace behind MODE_THINK on hard prompts and the answer alone behind MODE_NO_THINK on easy ones
 * (NaturalThoughts' difficulty-based System-1/System-2 mix; the task's mixRule 0).
 */
export function studentExample(trace: PoolTrace, targets: ThinkMode): Demonstration {
  const { prompt } = trace.instance;
  const answer = trace.teacherAnswer;
  if (answer === null) throw new Error(`distill: the trace "${trace.text}" has no answer to learn`);
  if (targets === 'think') return { prompt, completion: trace.text };
  if (targets === 'answer-only') return { prompt, completion: answer };
  const think = trace.instance.split === 'hard';
  return { prompt: withModeChar(prompt, think), completion: think ? trace.text : answer };
}

/** The prompt a student trained with these targets is asked (mixed: the mode character the difficulty calls for). */
export function studentPrompt(instance: TaskInstance, targets: ThinkMode, force?: 'think' | 'no-think'): string {
  if (targets !== 'mixed') return instance.prompt;
  return withModeChar(instance.prompt, force ? force === 'think' : instance.split === 'hard');
}
