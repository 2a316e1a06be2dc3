/**
 * The RNG layout's promises: rollout streams never meet a named stream of the same run, judge counters of an
 * iteration never meet the next iteration's, and the schema's bounds keep every counter inside its u32 range.
 */
import { describe, expect, it } from 'vitest';
import {
  ACT_SEED_COUNTER,
  JUDGE_CALLS_PER_ITERATION,
  judgeCall,
  MAX_DYNAMIC_SAMPLING_ROUNDS,
  MAX_ITERATIONS_BY_STREAMS,
  MAX_SAMPLING_COUNTER,
  rolloutStream,
  ROUND_SLOTS,
  RUN_STREAMS,
} from '../../src/engine/streams';
import { MODEL_LIMITS } from '../../src/model/config';
import { GRPO_LIMITS } from '../../src/rl/grpo/config';
import { parseRunConfig, RUN_LIMITS } from '../../src/rl/runConfig';

describe('RNG stream layout', () => {
  it('keeps every named run stream out of the rollout streams', () => {
    const named = new Set(Object.values(RUN_STREAMS));
    expect(named.size).toBe(Object.keys(RUN_STREAMS).length);
    for (const [name, stream] of Object.entries(RUN_STREAMS)) {
      expect(stream % ROUND_SLOTS, name).toBeGreaterThan(MAX_DYNAMIC_SAMPLING_ROUNDS);
    }
    // Exhaustively over the iterations where the named streams live.
    const top = Math.max(...named) / ROUND_SLOTS + 1;
    for (let it = 0; it <= top; it++) for (let r = 0; r <= MAX_DYNAMIC_SAMPLING_ROUNDS; r++) expect(named.has(rolloutStream(it, r))).toBe(false);
  });

  it('gives every completion of an iteration its own judge counter, across rounds, and none of the next iteration', () => {
    const P = 8, G = 8, rounds = JUDGE_CALLS_PER_ITERATION / (P * G) - 1;
    const seen = new Set<number>();
    for (let r = 0; r <= rounds; r++) for (let g = 0; g < P; g++) for (let i = 0; i < G; i++) seen.add(judgeCall(3, r, P, g, G, i));
    expect(seen.size).toBe(P * G * (rounds + 1));
    expect(Math.min(...seen)).toBe(judgeCall(3, 0, P, 0, G, 0));
    expect(Math.max(...seen)).toBeLessThan(judgeCall(4, 0, P, 0, G, 0));
  });

  it('is what the schema bounds', () => {
    expect(GRPO_LIMITS.dynamic_sampling_rounds).toBeLessThan(ROUND_SLOTS);
    expect(RUN_LIMITS.iterations).toBeLessThanOrEqual(MAX_ITERATIONS_BY_STREAMS);
    expect(rolloutStream(RUN_LIMITS.iterations, MAX_DYNAMIC_SAMPLING_ROUNDS)).toBeLessThan(2 ** 32);
    // Token draws use counter step · rows + row; the largest batch is the held-out pass@k or a GRPO round.
    const rows = Math.max(RUN_LIMITS.evalRows, GRPO_LIMITS.completionsPerIteration);
    expect((MODEL_LIMITS.contextLength + 1) * rows).toBeLessThan(MAX_SAMPLING_COUNTER);
    expect(ACT_SEED_COUNTER + rows).toBeLessThan(2 ** 32);
  });

  it('refuses configs whose rollouts would overrun the layout, naming the limit', () => {
    expect(() => parseRunConfig({ grpo: { dynamic_sampling_rounds: 17 } })).toThrow(
      /grpo\.dynamic_sampling_rounds: must be an integer in \[0, 16\], the rounds the RNG stream layout has room for \(got 17\)/,
    );
    expect(() => parseRunConfig({ grpo: { prompts_per_step: 32, num_generations: 16, dynamic_sampling_rounds: 8 } })).toThrow(
      /grpo: prompts_per_step × num_generations × \(dynamic_sampling_rounds \+ 1\) = 4608, more than the 4096 completions/,
    );
    expect(parseRunConfig({ grpo: { prompts_per_step: 32, num_generations: 16, dynamic_sampling_rounds: 7 } }).grpo.dynamic_sampling_rounds).toBe(7);
  });
});
