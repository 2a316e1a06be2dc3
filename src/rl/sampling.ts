/**
 * How every algorithm samples completions: the run's sampling settings (temperature, top-k, top-p, completion
 * budget) turned into generate() options on a given seed and stream. Training rollouts, RESTRAIN's prompt
 * weights and held-out pass@k all sample through it, so they cannot drift apart.
 */
import type { FfnActivation } from '../model/config';
import type { GenerateOptions } from '../model/generate';
import { BOS, type CharTokenizer } from '../model/tokenizer';
import type { GrpoConfig } from './grpo/config';

export type SamplingSettings = Pick<GrpoConfig, 'temperature' | 'top_k' | 'top_p' | 'max_completion_length'>;

export function samplingOptions(s: SamplingSettings, seed: number, stream: number, activation?: FfnActivation): GenerateOptions {
  return {
    maxNewTokens: s.max_completion_length,
    temperature: s.temperature,
    topK: s.top_k,
    topP: s.top_p,
    greedy: false,
    seed,
    stream,
    ...(activation ? { activation } : {}),
  };
}

/** Token ids of each prompt repeated `copies` times (BOS first): the rows of a grouped generate() call. */
export function groupedPrompts(tok: CharTokenizer, prompts: readonly string[], copies: number): number[][] {
  return prompts.flatMap((p) => Array.from({ length: copies }, () => [BOS, ...tok.encode(p)]));
}
