/**
 * StepWiser's chunk-reset sampling (Xiong et al., arXiv 2508.19229; docs/judges.md): a solution is generated one
 * step at a time (a step is the text up to the task's step separator; the last one ends at EOS or the budget),
 * each new step is shown to a step judge, and a step judged Negative is discarded and sampled again from the same
 * prefix, at most `maxAttempts` times in all; the last attempt is kept whatever the verdict. Each round samples
 * the next step of every unfinished solution in one batched generate call.
 */
import type { Backend } from '../../engine/backend';
import { generate } from '../../model/generate';
import { BOS, type CharTokenizer } from '../../model/tokenizer';
import type { Transformer } from '../../model/transformer';
import { parseStepVerdict, stepJudgePrompt, type StepLabel } from './stepData';
import type { TextJudge } from './textJudge';

/** Judges a new step given the problem and the steps accepted before it (a trained model or a rule). */
export type StepJudge = (problem: string, history: readonly string[], step: string) => Promise<StepLabel>;

/** Continues each prompt by at most `maxNewTokens` tokens; `round` keeps successive rounds' draws apart. */
export type StepSampler = (prompts: readonly string[], maxNewTokens: number, round: number) => Promise<string[]>;

export interface ChunkResetOptions {
  separator: string;
  /** Attempts per step, the first included: 1 is plain sampling with the judge only watching. */
  maxAttempts: number;
  /** Most tokens (characters) sampled for one step. */
  stepTokens: number;
  /** The whole solution's budget, as a sampled completion's maxNewTokens. */
  maxNewTokens: number;
}

export interface ChunkResetResult {
  completion: string;
  /** The accepted steps (separator removed). */
  steps: string[];
  /** Steps judged Positive. */
  accepted: number;
  /** Attempts judged Negative and sampled again. */
  rejected: number;
  /** Steps judged Negative on their last allowed attempt, kept anyway. */
  forced: number;
}

interface Row extends ChunkResetResult {
  problem: string;
  attempts: number;
  done: boolean;
}

export async function chunkReset(problems: readonly string[], sample: StepSampler, judge: StepJudge, opts: ChunkResetOptions): Promise<ChunkResetResult[]> {
  if (!Number.isInteger(opts.maxAttempts) || opts.maxAttempts < 1) throw new Error(`chunk reset: maxAttempts must be a positive integer (got ${opts.maxAttempts})`);
  if (!Number.isInteger(opts.stepTokens) || opts.stepTokens < 1) throw new Error(`chunk reset: stepTokens must be a positive integer (got ${opts.stepTokens})`);
  const rows: Row[] = problems.map((problem) => ({ problem, completion: '', steps: [], accepted: 0, rejected: 0, forced: 0, attempts: 0, done: opts.maxNewTokens < 1 }));
  for (let round = 0; rows.some((r) => !r.done); round++) {
    const active = rows.filter((r) => !r.done);
    const left = active.map((r) => opts.maxNewTokens - [...r.completion].length);
    const texts = await sample(active.map((r) => r.problem + r.completion), Math.min(opts.stepTokens, Math.max(...left)), round);
    const chunks = texts.map((t, i) => cutStep([...t].slice(0, left[i]).join(''), opts.separator));
    const labels = await Promise.all(active.map((r, i) => judge(r.problem, r.steps, chunks[i].step)));
    active.forEach((r, i) => {
      const { step, text, last } = chunks[i];
      r.attempts++;
      if (labels[i] === 'negative' && r.attempts < opts.maxAttempts) {
        r.rejected++;
        return;
      }
      if (labels[i] === 'positive') r.accepted++;
      else r.forced++;
      r.attempts = 0;
      r.steps.push(step);
      r.completion += text;
      r.done = last || [...r.completion].length >= opts.maxNewTokens;
    });
  }
  return rows.map(({ completion, steps, accepted, rejected, forced }) => ({ completion, steps, accepted, rejected, forced }));
}

/** The first step of a sampled continuation: up to and including the separator, or all of it (the last step). */
function cutStep(text: string, separator: string): { step: string; text: string; last: boolean } {
  const k = text.indexOf(separator);
  return k < 0 ? { step: text, text, last: true } : { step: text.slice(0, k), text: text.slice(0, k + separator.length), last: false };
}

export interface ModelSamplerOptions {
  temperature: number;
  seed: number;
  /** Round r samples on RNG stream `stream + r`. */
  stream: number;
}

/** A step sampler backed by the policy: one batched generate call per round, cut at EOS. */
export function modelStepSampler(be: Backend, model: Transformer, tok: CharTokenizer, opts: ModelSamplerOptions): StepSampler {
  return async (prompts, maxNewTokens, round) => {
    const ids = prompts.map((p) => [BOS, ...tok.encode(p)]);
    const room = model.config.contextLength - Math.max(...ids.map((x) => x.length));
    if (room < 1) throw new Error(`chunk reset: a prompt and its prefix fill the model's context of ${model.config.contextLength} tokens`);
    const rollouts = await generate(be, model, ids, {
      maxNewTokens: Math.min(maxNewTokens, room),
      temperature: opts.temperature,
      topK: 0,
      topP: 1,
      greedy: false,
      seed: opts.seed,
      stream: opts.stream + round,
    });
    return rollouts.map((r) => tok.decode(r.tokens));
  };
}

/** A trained step judge (stepData.ts format) as a StepJudge; an unreadable verdict counts as Negative. */
export function textStepJudge(judge: TextJudge, separator: string): StepJudge {
  return async (problem, history, step) => {
    const parsed = parseStepVerdict(await judge(stepJudgePrompt(problem, history, step, separator)));
    return parsed.label ?? 'negative';
  };
}
