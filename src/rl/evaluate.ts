/** Held-out accuracy of a policy on a task: seeded instances, batched greedy (or sampled) decoding, the task's verifier. */
import type { Backend } from '../engine/backend';
import { Rng } from '../engine/rng';
import { EVAL_STREAM } from '../engine/streams';
import type { FfnActivation } from '../model/config';
import { generate } from '../model/generate';
import { BOS, type CharTokenizer } from '../model/tokenizer';
import type { Transformer } from '../model/transformer';
import { isCorrect, type Task, type TaskInstance } from './tasks/types';

export interface EvalSample {
  instance: TaskInstance;
  completion: string;
  answer: string | null;
  correct: boolean;
}

export interface EvalResult {
  accuracy: number;
  samples: EvalSample[];
}

export function heldOutInstances(task: Task, difficulty: Record<string, number>, n: number, seed: number): TaskInstance[] {
  const rng = new Rng(seed, EVAL_STREAM);
  return Array.from({ length: n }, () => task.generate(rng, difficulty));
}

export async function evaluate(
  be: Backend,
  model: Transformer,
  tok: CharTokenizer,
  task: Task,
  instances: TaskInstance[],
  /** `activation`: the FFN activation to decode with (the model's by default). */
  opts: { maxNewTokens: number; batchSize?: number; activation?: FfnActivation },
): Promise<EvalResult> {
  const samples: EvalSample[] = [];
  const batch = opts.batchSize ?? 32;
  for (let i = 0; i < instances.length; i += batch) {
    const chunk = instances.slice(i, i + batch);
    const rollouts = await generate(
      be,
      model,
      chunk.map((inst) => [BOS, ...tok.encode(inst.prompt)]),
      { maxNewTokens: opts.maxNewTokens, greedy: true, temperature: 1, topK: 0, topP: 1, seed: 0, activation: opts.activation },
    );
    rollouts.forEach((r, k) => {
      const completion = tok.decode(r.tokens);
      const answer = task.extractAnswer(completion);
      samples.push({ instance: chunk[k], completion, answer, correct: isCorrect(task, answer, chunk[k]) });
    });
  }
  return { accuracy: samples.filter((s) => s.correct).length / Math.max(1, samples.length), samples };
}
