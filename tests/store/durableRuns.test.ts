/**
 * Durable runs against the real engine (run host on the CPU backend, in-process): a "reload" mid-run (a new page
 * with a new engine over the same checkpoint store) offers the run back and continues exactly as a run never
 * interrupted; a second tab leaves another tab's run alone; a full disk keeps the run going in memory; a reset
 * drops the checkpoint; an engine restart offers the run back.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RUN, parseRunConfig } from '../../src/rl/runConfig';
import { memoryCheckpoints } from '../../src/store/checkpointArchive';
import { createDurableRuns, memoryLocks, type CheckpointStore } from '../../src/store/durableRuns';
import type { EnginePort } from '../../src/store/engineClient';
import { createRunStore } from '../../src/store/runStore';
import { encodeHash } from '../../src/store/urlState';
import type { RunEvent } from '../../src/worker/protocol';
import { cpuHarness, TINY_RUN } from '../worker/engineHarness';

const RUN = { ...TINY_RUN, iterations: 4, grpo: { ...TINY_RUN.grpo, beta: 0.04 } };
const settle = () => new Promise((r) => setTimeout(r, 0));
/** Metrics that depend on the run, not on how long it took. */
const deterministic = (m: Record<string, Array<{ step: number; value: number }>>) =>
  Object.fromEntries(Object.entries(m).filter(([k]) => k !== 'step_time' && !k.startsWith('time/')));

/** One browser tab: its own engine and stores, sharing the origin's checkpoint store and locks. */
async function openTab(checkpoints: CheckpointStore, held: Set<string>, engine: EnginePort = cpuHarness()) {
  const runs = createRunStore(engine, { write: () => {} }, DEFAULT_RUN);
  const locks = memoryLocks(held);
  let seconds: number | null = 0;
  const durable = createDurableRuns(engine, runs, {
    checkpoints,
    locks,
    storage: { persist: async () => true, estimate: async () => ({ usage: 1234, quota: 10_000_000 }) },
    interval: { get: () => seconds, set: (s) => void (seconds = s) },
  });
  await runs.getState().init(encodeHash(parseRunConfig(RUN), false));
  await durable.getState().init();
  /** Closing the tab frees its locks (the browser does that for Web Locks). */
  const close = () => {
    for (const id of [...held]) locks.release(id);
  };
  return { runs, durable, close };
}

async function uninterrupted() {
  const tab = await openTab(memoryCheckpoints(), new Set());
  await tab.runs.getState().train();
  return tab.runs.getState();
}

describe('durable runs', () => {
  it('a reload mid-run offers "Resume run from iteration k" and continues exactly like a run never interrupted', async () => {
    const straight = await uninterrupted();
    expect(straight.status).toBe('done');

    const checkpoints = memoryCheckpoints();
    const held = new Set<string>();
    const first = await openTab(checkpoints, held);
    await first.runs.getState().step();
    await first.runs.getState().step();
    // The page goes away mid-run: only IndexedDB (and no lock) is left.
    first.close();

    const second = await openTab(checkpoints, held);
    const offer = second.durable.getState().offer;
    expect(offer).toMatchObject({ iteration: 2, total: 4, task: 'addition' });
    expect(second.durable.getState().storage).toEqual({ usage: 1234, quota: 10_000_000, persisted: true });
    await second.durable.getState().resume();
    let s = second.runs.getState();
    expect(s).toMatchObject({ status: 'paused', iteration: 2, sftDone: true, notice: null });
    expect(s.applied).toEqual(parseRunConfig(RUN));
    expect(s.metrics.reward.map((p) => p.step)).toEqual([1, 2]);
    expect(s.sft?.loss).toHaveLength(5);
    expect(second.durable.getState().offer).toBeNull();

    await second.runs.getState().train();
    s = second.runs.getState();
    expect(s.status).toBe('done');
    expect(deterministic(s.metrics)).toEqual(deterministic(straight.metrics));
    expect(s.rollouts.map((r) => r.completion)).toEqual(straight.rollouts.map((r) => r.completion));
    expect(s.rewardHistory).toEqual(straight.rewardHistory);
  });

  it('a second tab does not offer or write a run another tab has open, and says so', async () => {
    const checkpoints = memoryCheckpoints();
    const held = new Set<string>();
    const first = await openTab(checkpoints, held);
    await first.runs.getState().step();
    const [kept] = await checkpoints.list();
    expect(kept.checkpoint.iteration).toBe(1);

    const second = await openTab(checkpoints, held);
    expect(second.durable.getState()).toMatchObject({ offer: null, elsewhere: 1 });
    await second.runs.getState().step();
    const records = await checkpoints.list();
    expect(records).toHaveLength(2);
    // The first tab's record is as it left it.
    expect(records.find((r) => r.id === kept.id)!.savedAt).toBe(kept.savedAt);
    await first.runs.getState().step();
    expect((await checkpoints.list()).find((r) => r.id === kept.id)!.checkpoint.iteration).toBe(2);
  });

  it('checkpoints that arrive back to back (as on a fast backend) keep one record for one run', async () => {
    const engine = cpuHarness();
    // Every checkpoint reaches the page three times at once, as the warm-start's, the first iteration's and the
    // pause's do when the backend is fast and the lock manager answers asynchronously.
    const tripled: EnginePort = {
      send: (cmd) => engine.send(cmd),
      onEvent: (listener) =>
        engine.onEvent((e) => {
          listener(e);
          if (e.kind === 'checkpoint') {
            listener(e);
            listener(e);
          }
        }),
    };
    const checkpoints = memoryCheckpoints();
    const tab = await openTab(checkpoints, new Set(), tripled);
    await tab.runs.getState().step();
    for (let i = 0; i < 20; i++) await settle();
    expect(await checkpoints.list()).toHaveLength(1);
  });

  it('a checkpoint write that fails for quota is explained and the run goes on in memory', async () => {
    const full: CheckpointStore = {
      list: async () => [],
      put: async () => {
        throw Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
      },
      remove: async () => {},
    };
    const tab = await openTab(full, new Set());
    await tab.runs.getState().train();
    await settle();
    expect(tab.runs.getState().status).toBe('done');
    expect(tab.durable.getState().problem).toMatch(/^The run could not be kept for a reload: storage is full \(The quota has been exceeded\.\)\. It goes on in memory, and saved runs are untouched/);
  });

  it('a reset or new settings drop the run\'s checkpoint; the interval setting reaches the engine', async () => {
    const checkpoints = memoryCheckpoints();
    const engine = cpuHarness();
    const tab = await openTab(checkpoints, new Set(), engine);
    await tab.durable.getState().setEvery(45);
    expect(tab.durable.getState().everySeconds).toBe(45);
    await tab.runs.getState().step();
    expect(await checkpoints.list()).toHaveLength(1);
    await tab.runs.getState().reset();
    await settle();
    expect(await checkpoints.list()).toHaveLength(0);
    await expect(engine.send({ type: 'setCheckpointEvery', ms: -1 })).rejects.toThrow(/checkpoint interval must be 0 to 3600 s/);
  });

  it('an engine that died is replaced, and its run is offered back from the last checkpoint', async () => {
    // A port whose engine can be swapped for a fresh one, as the worker client does when its worker dies.
    let engine = cpuHarness();
    const listeners = new Set<(e: RunEvent) => void>();
    const relay = (e: RunEvent) => listeners.forEach((l) => l(e));
    let unsubscribe = engine.onEvent(relay);
    const port: EnginePort = {
      send: (cmd) => engine.send(cmd),
      onEvent(l) {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    };
    const tab = await openTab(memoryCheckpoints(), new Set(), port);
    await tab.runs.getState().step();
    await tab.runs.getState().step();
    unsubscribe();
    engine = cpuHarness();
    unsubscribe = engine.onEvent(relay);
    relay({ kind: 'restarted', message: 'engine worker failed: out of memory. The engine was restarted; the run in it is gone.' });
    await settle();
    expect(tab.runs.getState()).toMatchObject({ status: 'idle', iteration: 0 });
    expect(tab.durable.getState().offer).toMatchObject({ iteration: 2 });
    await tab.durable.getState().resume();
    expect(tab.runs.getState()).toMatchObject({ status: 'paused', iteration: 2 });
    await tab.runs.getState().step();
    expect(tab.runs.getState().iteration).toBe(3);
    unsubscribe();
  });
});
