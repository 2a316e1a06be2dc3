/**
 * What an aggregation run needs of the sections it shares with GRPO and of the task, checked when the run config is
 * parsed (runConfig.ts runRules) so that a run that cannot work is refused before its warm-start.
 */
import { Rng } from '../../engine/rng';
import { JUDGE_CALLS_PER_ITERATION, LENGTH_STREAM } from '../../engine/streams';
import type { GrpoConfig } from '../grpo/config';
import { aggregationPrompt } from '../reasoning/aggregation';
import type { Task } from '../tasks/types';
import type { AggregationConfig } from './config';

/** Problems drawn to find the longest prompt (as the resource guard does; tasks' prompt lengths vary little). */
const PROMPT_SAMPLES = 256;

export interface AggregationRuleInput {
  task: Task;
  difficulty: Readonly<Record<string, number>>;
  grpo: GrpoConfig;
  aggregation: AggregationConfig;
  contextLength: number;
}

/** Each problem as [path, message]. */
export function aggregationRunRules({ task, difficulty, grpo, aggregation, contextLength }: AggregationRuleInput): Array<[string[], string]> {
  const out: Array<[string[], string]> = [];
  if (grpo.label_mode !== 'gold') out.push([['grpo', 'label_mode'], `must be "gold" for aggregation: pass@k advantages need verified candidates (got "${grpo.label_mode}")`]);
  if (grpo.dynamic_sampling_rounds !== 0) out.push([['grpo', 'dynamic_sampling_rounds'], `must be 0 for aggregation, which samples its pool once (got ${grpo.dynamic_sampling_rounds})`]);
  const m = aggregation.pool_size, G = grpo.num_generations, P = grpo.prompts_per_step;
  if (P * (m + G) > JUDGE_CALLS_PER_ITERATION) {
    out.push([['aggregation', 'pool_size'], `prompts_per_step × (pool_size + num_generations) = ${P * (m + G)} completions, more than the ${JUDGE_CALLS_PER_ITERATION} an iteration's RNG counters have room for`]);
  }
  const rng = new Rng(0, LENGTH_STREAM);
  let longest = 0;
  for (let i = 0; i < PROMPT_SAMPLES; i++) {
    const inst = task.generate(rng, difficulty);
    try {
      aggregationPrompt(inst.prompt, [inst.answer]);
    } catch (e) {
      out.push([['task'], `${task.name} cannot be aggregated: ${(e as Error).message}`]);
      return out;
    }
    longest = Math.max(longest, inst.prompt.length);
  }
  // BOS, the problem, m slots of at most a whole completion and its terminator, then the aggregator's completion.
  const needed = 1 + longest + m * (grpo.max_completion_length + 1) + grpo.max_completion_length;
  if (needed > contextLength) {
    const parts = `BOS + a ${longest}-character problem + ${m} candidates of up to ${grpo.max_completion_length} characters with their terminators + the ${grpo.max_completion_length}-token answer`;
    out.push([['model', 'contextLength'], `${contextLength} is too short for aggregation prompts: ${parts} need ${needed}`]);
  }
  return out;
}
