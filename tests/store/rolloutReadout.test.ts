/** On-demand rollout read-outs (here the current-policy log-probs): what is requested, one fetch per rollout record, latest-wins replies. */
import { describe, expect, it } from 'vitest';
import type { RolloutRecord } from '../../src/rl/trainer';
import { createCurrentLogprobsStore } from '../../src/store/rolloutReadout';
import type { EnginePort } from '../../src/store/engineClient';
import type { CurrentLogprobs, RunCommand } from '../../src/worker/protocol';

const record = (tokens: number[], iteration: number): RolloutRecord =>
  ({ prompt: '1+2=', tokens, actSeed: 7, iteration, logprobs: tokens.map(() => -1) }) as unknown as RolloutRecord;

/** A port whose replies the test releases one by one, in any order. */
function heldPort() {
  const sent: RunCommand[] = [];
  const held: Array<(r: CurrentLogprobs) => void> = [];
  const port: EnginePort = {
    send: ((cmd: RunCommand) => {
      sent.push(cmd);
      return new Promise<CurrentLogprobs>((resolve) => held.push(resolve));
    }) as EnginePort['send'],
    onEvent: () => () => {},
  };
  return { port, sent, held };
}

describe('current-policy log-probs store', () => {
  it('asks for the rollout with its sampling iteration, once per rollout record', async () => {
    const { port, sent, held } = heldPort();
    const s = createCurrentLogprobsStore(port);
    const r = record([3, 4], 1);
    const done = s.getState().load(r);
    void s.getState().load(r);
    expect(sent).toEqual([{ type: 'tokenLogprobs', sequence: { prompt: '1+2=', tokens: [3, 4], actSeed: 7, iteration: 1 } }]);
    expect(s.getState().loading).toBe(true);
    held[0]({ logprobs: [-0.5, -0.25], iteration: 2 });
    await done;
    expect(s.getState()).toMatchObject({ rollout: r, data: { logprobs: [-0.5, -0.25], iteration: 2 }, loading: false, error: null });
    await s.getState().load(r);
    expect(sent).toHaveLength(1);
    // The next iteration's records are new objects: fetched again.
    void s.getState().load(record([3, 4], 2));
    expect(sent).toHaveLength(2);
  });

  it('drops a reply for a rollout the user has moved away from, even when it arrives last', async () => {
    const { port, held } = heldPort();
    const s = createCurrentLogprobsStore(port);
    const first = s.getState().load(record([1], 0));
    const r2 = record([2, 2], 0);
    const second = s.getState().load(r2);
    held[1]({ logprobs: [-1, -2], iteration: 1 });
    await second;
    held[0]({ logprobs: [-9], iteration: 1 });
    await first;
    expect(s.getState().rollout).toBe(r2);
    expect(s.getState().data?.logprobs).toEqual([-1, -2]);
  });
});
