/**
 * The run store against the real engine (the worker's run host on the CPU backend, in-process): settings flow,
 * pending edits during a run, histories, selection, and failures turned into notices.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RUN, parseRunConfig } from '../../src/rl/runConfig';
import { createRunStore } from '../../src/store/runStore';
import { decodeHash, encodeHash } from '../../src/store/urlState';
import type { EnginePort } from '../../src/store/engineClient';
import type { RunCommand, RunEvent } from '../../src/worker/protocol';
import { cpuHarness, TINY_RUN } from '../worker/engineHarness';

async function setup(hash = encodeHash(parseRunConfig(TINY_RUN), false)) {
  const engine = cpuHarness();
  const written: string[] = [];
  const store = createRunStore(engine, { write: (h) => written.push(h) }, DEFAULT_RUN);
  await store.getState().init(hash);
  return { engine, store, written };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('run store', () => {
  it('loads the URL settings into the engine without rewriting the link', async () => {
    const { store, engine, written } = await setup();
    expect(store.getState().applied).toEqual(parseRunConfig(TINY_RUN));
    expect(engine.host.config).toEqual(parseRunConfig(TINY_RUN));
    expect(written).toEqual([]);
  });

  it('keeps a broken link explained and runs the defaults', async () => {
    const { store, engine } = await setup('#run=!!');
    expect(store.getState().hashError).toMatch(/could not be used/);
    expect(engine.host.config).toEqual(DEFAULT_RUN);
  });

  it('applies a valid edit at once while idle and writes the URL; an invalid one is only explained', async () => {
    const { store, engine, written } = await setup();
    store.getState().edit('seed', 11);
    await settle();
    expect(engine.host.config.seed).toBe(11);
    expect(decodeHash(written.at(-1)!).config.seed).toBe(11);
    store.getState().edit('model.nHead', 3);
    await settle();
    expect(store.getState().problems.model).toEqual([expect.stringMatching(/heads \(3\) must divide/)]);
    expect(engine.host.config.model.nHead).toBe(2);
    expect(written).toHaveLength(1);
  });

  it('fills progress, metrics, distributions and rollouts; edits during a run wait until applied', async () => {
    const { store, engine } = await setup();
    await store.getState().warmStart();
    let s = store.getState();
    expect(s.sft).toMatchObject({ step: 5, total: 5 });
    expect(s.sft!.loss).toHaveLength(5);
    expect(s.metrics.accuracy.map((p) => p.step)).toEqual([0]);
    expect(s.status).toBe('paused');

    await store.getState().step();
    await store.getState().step();
    s = store.getState();
    expect(s.iteration).toBe(2);
    expect(s.metrics.reward.map((p) => p.step)).toEqual([1, 2]);
    expect(s.metrics.accuracy.map((p) => p.step)).toEqual([0, 1, 2]);
    expect(s.rewardHistory).toHaveLength(2);
    expect(s.advantageHistory[1]).toHaveLength(8);
    expect(s.rollouts).toHaveLength(8);
    expect(s.rollouts.every((r) => r.iteration === 1)).toBe(true);

    store.getState().select({ group: 1 });
    expect(store.getState().selection).toEqual({ group: 1, rollout: 4 });

    // A change now must not throw the run away.
    store.getState().edit('grpo.temperature', 0.5);
    await settle();
    s = store.getState();
    expect(s.pending).toBe(true);
    expect(engine.host.config.grpo.temperature).toBe(1);
    expect(s.rollouts).toHaveLength(8);

    await store.getState().applyDraft();
    s = store.getState();
    expect(engine.host.config.grpo.temperature).toBe(0.5);
    expect(s.pending).toBe(false);
    expect(s.status).toBe('idle');
    expect(s.metrics).toEqual({});
    expect(s.rollouts).toEqual([]);
  });

  it('turns a refused command into a notice and keeps the run', async () => {
    const { store } = await setup();
    await store.getState().warmStart();
    await store.getState().warmStart();
    expect(store.getState().notice).toMatch(/Warm-start failed: .*already warm-started/);
    expect(store.getState().sft?.step).toBe(5);
    store.getState().dismissNotice();
    expect(store.getState().notice).toBeNull();
  });

  it('trains to the end and reset empties the run', async () => {
    const { store } = await setup();
    await store.getState().train();
    expect(store.getState()).toMatchObject({ status: 'done', iteration: 3 });
    await store.getState().reset();
    expect(store.getState()).toMatchObject({ status: 'idle', iteration: 0, rollouts: [], rewardHistory: [] });
  });

  it('sets the training pace in the engine and remembers it', async () => {
    const { store } = await setup();
    await store.getState().setPace(3000);
    expect(store.getState().paceMs).toBe(3000);
    await store.getState().setPace(-5);
    expect(store.getState().paceMs).toBe(3000);
    expect(store.getState().notice).toMatch(/Set speed failed: the pace must be 0 to 60000 ms/);
  });

  it('a lost device pauses the run with a resume offer; resuming continues from the checkpoint', async () => {
    const { store, engine } = await setup();
    await store.getState().step();
    engine.host.deviceLost('WebGPU device-lost: driver reset');
    await settle();
    expect(store.getState().status).toBe('lost');
    expect(store.getState().error).toMatchObject({ deviceLost: true, resumeFrom: 1 });
    await store.getState().train();
    expect(store.getState().notice).toMatch(/Train failed: .*GPU device was lost/);
    await store.getState().resume();
    expect(store.getState()).toMatchObject({ status: 'paused', iteration: 1, error: null });
    await store.getState().step();
    expect(store.getState().metrics.reward.map((p) => p.step)).toEqual([1, 2]);
  });

  it('a resume from an older checkpoint drops the iterations it will repeat from the curves', async () => {
    // A scripted engine: three iterations shown, the device lost with the checkpoint at iteration 1.
    let emit: (e: RunEvent) => void = () => {};
    const sent: string[] = [];
    const port: EnginePort = {
      send: (async (cmd: RunCommand) => {
        sent.push(cmd.type);
        return cmd.type === 'configure' ? { config: parseRunConfig(cmd.config) } : null;
      }) as EnginePort['send'],
      onEvent: (l) => ((emit = l), () => {}),
    };
    const store = createRunStore(port, { write: () => {} }, DEFAULT_RUN);
    await store.getState().init(encodeHash(parseRunConfig(TINY_RUN), false));
    const model = { params: [], mta: [] };
    for (const i of [1, 2, 3]) emit({ kind: 'iteration', iteration: i, total: 5, metrics: { reward: i }, rollouts: [], plots: [], eval: null, model });
    emit({ kind: 'error', message: 'WebGPU device-lost: gone', deviceLost: true, resumeFrom: 1 });
    emit({ kind: 'status', status: 'lost', iteration: 3, sftDone: true });
    await store.getState().resume();
    expect(sent.at(-1)).toBe('resume');
    expect(store.getState().metrics.reward.map((p) => p.step)).toEqual([1]);
    expect(store.getState().rewardHistory).toHaveLength(1);
  });
});
