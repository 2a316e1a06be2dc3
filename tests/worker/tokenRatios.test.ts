/**
 * Current-policy token log-probs for the inspector's ratio colouring: they must reproduce the sampled log-probs
 * exactly while the weights have not moved (same temperature, activation seed and Swi+FT activation), differ once
 * an update has moved them, and be answered between two iterations of a running loop.
 */
import { describe, expect, it } from 'vitest';
import type { RolloutRecord } from '../../src/rl/trainer';
import type { RunEvent } from '../../src/worker/protocol';
import { cpuHarness, TINY_RUN, type Harness } from './engineHarness';

/** A length reward makes rewards differ within a group even for an untrained policy, so there is a gradient. */
const SHAPED = { ...TINY_RUN, rewards: { weights: { correct: 1, length: 1 } } };

const rolloutsOf = (events: RunEvent[]) => events.flatMap((e) => (e.kind === 'iteration' ? e.rollouts : []));

const ratios = async (h: Harness, r: RolloutRecord) => {
  const { logprobs } = await h.send({ type: 'tokenLogprobs', sequence: { prompt: r.prompt, tokens: r.tokens, actSeed: r.actSeed, iteration: r.iteration } });
  expect(logprobs).toHaveLength(r.tokens.length);
  return logprobs.map((lp, i) => Math.exp(lp - r.logprobs[i]));
};

describe('current-policy token log-probs', () => {
  it('give ratio 1 for every token while the weights have not moved, whatever the temperature and activation', async () => {
    const h = cpuHarness();
    // Learning rate 0: the updates leave the weights as sampled. stochA draws depend on the activation seed, and
    // with Swi+FT the second iteration samples with RELU, so both must be replayed for the ratio to be 1.
    const model = { ...TINY_RUN.model, activation: 'stochA', swiFtFraction: 0.5 };
    await h.send({ type: 'configure', config: JSON.stringify({ ...SHAPED, iterations: 2, model, grpo: { ...TINY_RUN.grpo, temperature: 0.7, learning_rate: 0 } }) });
    await h.send({ type: 'train' });
    const rollouts = rolloutsOf(h.events);
    expect(new Set(rollouts.map((r) => r.iteration))).toEqual(new Set([0, 1]));
    for (const r of rollouts) for (const ratio of await ratios(h, r)) expect(Math.abs(ratio - 1)).toBeLessThan(1e-4);
  });

  it('move away from 1 once an update has changed the policy, and say which iteration scored them', async () => {
    const h = cpuHarness();
    await h.send({ type: 'configure', config: JSON.stringify({ ...SHAPED, iterations: 1, grpo: { ...TINY_RUN.grpo, learning_rate: 0.05 } }) });
    await expect(h.send({ type: 'tokenLogprobs', sequence: { prompt: '1+2=', tokens: [], actSeed: 0, iteration: 0 } })).rejects.toThrow(/no model yet/);
    await h.send({ type: 'train' });
    const rollouts = rolloutsOf(h.events);
    const all = (await Promise.all(rollouts.map((r) => ratios(h, r)))).flat();
    expect(all.every((r) => Number.isFinite(r) && r > 0)).toBe(true);
    expect(all.some((r) => Math.abs(r - 1) > 1e-3)).toBe(true);
    const r = rollouts[0];
    const reply = await h.send({ type: 'tokenLogprobs', sequence: { prompt: r.prompt, tokens: r.tokens, actSeed: r.actSeed, iteration: r.iteration } });
    expect(reply.iteration).toBe(1);
    await expect(h.send({ type: 'tokenLogprobs', sequence: { prompt: r.prompt, tokens: r.tokens, actSeed: r.actSeed, iteration: -1 } })).rejects.toThrow(/iteration must be/);
  });

  it('answers a request made while training between two iterations, under the policy of that boundary', async () => {
    const h = cpuHarness();
    await h.send({ type: 'configure', config: JSON.stringify(TINY_RUN) });
    await h.send({ type: 'step' });
    const r = rolloutsOf(h.events)[0];
    const training = h.send({ type: 'train' });
    const reply = h.send({ type: 'tokenLogprobs', sequence: { prompt: r.prompt, tokens: r.tokens, actSeed: r.actSeed, iteration: r.iteration } });
    await training;
    // Queued behind the loop's first iteration (the second of the run), not after the whole loop (three).
    expect((await reply).iteration).toBe(2);
    expect((await reply).logprobs).toHaveLength(r.tokens.length);
  });
});
