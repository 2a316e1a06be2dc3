/**
 * The run scheduler on its own, with hand-driven "steps" (promises the test resolves) instead of an engine: what
 * happens to a pause, a reset, a device loss and a save that arrive in the middle of a step.
 */
import { describe, expect, it } from 'vitest';
import { GpuError } from '../../src/engine/backend/webgpu/errors';
import type { RunStatus } from '../../src/worker/protocol';
import { restingStatus, Scheduler, type RunProgress } from '../../src/worker/scheduler';

/** A step the test finishes by hand (or fails, e.g. as a lost device). */
function gate() {
  let open!: () => void, fail!: (e: Error) => void;
  const done = new Promise<void>((resolve, reject) => ((open = resolve), (fail = reject)));
  return { done, open, fail };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

/** Let the event loop run until `ready()` (a step boundary takes a macrotask). */
async function until(ready: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !ready(); i++) await tick();
  expect(ready()).toBe(true);
}

function setup(iterations = 10) {
  const progress: RunProgress = { iteration: 0, iterations, sftDone: false };
  const statuses: RunStatus[] = [];
  const failures: Array<{ message: string; deviceLost: boolean }> = [];
  const log: string[] = [];
  let settled = 0;
  const s = new Scheduler({
    onStatus: (st) => statuses.push(st),
    progress: () => progress,
    settle: async () => void settled++,
    onFailure: (message, deviceLost) => failures.push({ message, deviceLost }),
  });
  /** The GRPO loop as the run host writes it: steps until done or paused, a boundary after each. */
  const steps: Array<ReturnType<typeof gate>> = [];
  const train = () =>
    s.operation('running', async () => {
      while (progress.iteration < progress.iterations && !s.pausing) {
        const step = gate();
        steps.push(step);
        log.push(`step ${progress.iteration + 1} starts`);
        await step.done;
        progress.iteration++;
        log.push(`step ${progress.iteration} ends`);
        await s.boundary();
      }
    });
  return { s, progress, statuses, failures, log, steps, train, settled: () => settled };
}

describe('restingStatus', () => {
  it('is done after the last iteration, paused with any progress, idle before any', () => {
    expect(restingStatus({ iteration: 0, iterations: 3, sftDone: false })).toBe('idle');
    expect(restingStatus({ iteration: 0, iterations: 3, sftDone: true })).toBe('paused');
    expect(restingStatus({ iteration: 2, iterations: 3, sftDone: false })).toBe('paused');
    expect(restingStatus({ iteration: 3, iterations: 3, sftDone: true })).toBe('done');
  });
});

describe('Scheduler', () => {
  it('a pause during a step lets that step finish, then rests as paused; other work is refused meanwhile', async () => {
    const t = setup();
    const training = t.train();
    await tick();
    expect(t.statuses).toEqual(['running']);
    expect(() => t.s.assertNotBusy('change the settings')).toThrow('cannot change the settings while the run is running: pause it first');
    t.s.requestPause();
    t.steps[0].open();
    await training;
    expect(t.log).toEqual(['step 1 starts', 'step 1 ends']);
    expect(t.statuses).toEqual(['running', 'paused']);
    expect(t.settled()).toBe(1);
    expect(t.s.isBusy).toBe(false);
    // The pause was for that run only: the next one trains until paused again.
    expect(t.s.pausing).toBe(false);
  });

  it('a reset during a warm-start stops it at the next boundary, silently, and waits for it', async () => {
    const t = setup();
    const sftSteps: Array<ReturnType<typeof gate>> = [];
    let ran = 0;
    const warming = t.s.operation('warming', async () => {
      for (let i = 0; i < 5; i++) {
        const step = gate();
        sftSteps.push(step);
        await step.done;
        ran++;
        await t.s.boundary();
      }
      t.progress.sftDone = true;
    });
    await tick();
    let stopped = false;
    const stopping = t.s.stop().then(() => (stopped = true));
    await tick();
    // The step in flight is not torn: the stop waits for its boundary.
    expect(stopped).toBe(false);
    sftSteps[0].open();
    await stopping;
    await warming;
    expect(ran).toBe(1);
    expect(t.progress.sftDone).toBe(false);
    expect(t.failures).toEqual([]);
    expect(t.statuses).toEqual(['warming']);
    expect(t.settled()).toBe(0);
    expect(t.s.isBusy).toBe(false);
  });

  it('a device loss during a read-out: the read-out fails with the loss, the run is lost, and later read-outs are refused', async () => {
    const t = setup();
    const training = t.train();
    await tick();
    // Asked for mid-step: it waits for the boundary and then hits the lost device.
    const readout = t.s.betweenSteps(async () => {
      t.log.push('read-out');
      throw new GpuError('device-lost', 'test: device destroyed');
    });
    // A second one, queued behind it, runs after the step that reports the loss too.
    const later = t.s.betweenSteps(async () => 'never');
    t.steps[0].open();
    await expect(readout).rejects.toThrow(/device destroyed/);
    await until(() => t.steps.length === 2);
    t.steps[1].fail(new GpuError('device-lost', 'test: device destroyed'));
    await training;
    expect(t.log).toEqual(['step 1 starts', 'step 1 ends', 'read-out', 'step 2 starts']);
    expect(await later).toBe('never');
    expect(t.failures).toEqual([{ message: expect.stringMatching(/device destroyed/), deviceLost: true }]);
    expect(t.statuses.at(-1)).toBe('lost');
    await expect(t.s.betweenSteps(async () => 'x')).rejects.toThrow('the GPU device was lost; resume from the last checkpoint or reset');
    expect(() => t.s.assertIdle('train')).toThrow('cannot train: the GPU device was lost; resume from the last checkpoint or reset');
  });

  it('a read-out queued after the last step is answered when the operation ends, after a loss with the refusal', async () => {
    const t = setup();
    const training = t.train();
    await tick();
    const readout = t.s.betweenSteps(async () => 'weights');
    t.steps[0].fail(new GpuError('device-lost', 'gone'));
    await training;
    await expect(readout).rejects.toThrow(/GPU device was lost/);
  });

  it('a save during training runs between two steps, sees a whole step, and training goes on', async () => {
    const t = setup(3);
    const training = t.train();
    await tick();
    const save = t.s.betweenSteps(async () => {
      t.log.push(`save at ${t.progress.iteration}`);
      return t.progress.iteration;
    });
    t.steps[0].open();
    expect(await save).toBe(1);
    await until(() => t.steps.length === 2);
    t.steps[1].open();
    await until(() => t.steps.length === 3);
    t.steps[2].open();
    await training;
    expect(t.log).toEqual(['step 1 starts', 'step 1 ends', 'save at 1', 'step 2 starts', 'step 2 ends', 'step 3 starts', 'step 3 ends']);
    expect(t.statuses).toEqual(['running', 'done']);
    // When nothing runs, a save runs at once.
    expect(await t.s.betweenSteps(async () => 'now')).toBe('now');
  });

  it('an error other than a device loss ends in error, reported once', async () => {
    const t = setup();
    const training = t.train();
    await tick();
    t.steps[0].fail(new Error('training diverged'));
    await training;
    expect(t.failures).toEqual([{ message: 'training diverged', deviceLost: false }]);
    expect(t.statuses).toEqual(['running', 'error']);
    expect(() => t.s.assertIdle('train')).toThrow('cannot train: the engine hit an error; reset to continue');
  });

  it('an exclusive job refuses other work, a stop waits for it, and its read-outs run after it', async () => {
    const t = setup();
    const job = gate();
    const exclusive = t.s.exclusively('resume', 'the run is resuming', () => job.done.then(() => 'resumed'));
    expect(() => t.s.assertNotBusy('train')).toThrow('cannot train while the run is resuming: wait for it to finish');
    const readout = t.s.betweenSteps(async () => t.log.push('read-out'));
    let stopped = false;
    const stopping = t.s.stop().then(() => (stopped = true));
    await tick();
    expect(stopped).toBe(false);
    expect(t.log).toEqual([]);
    job.open();
    expect(await exclusive).toBe('resumed');
    await stopping;
    await readout;
    expect(t.log).toEqual(['read-out']);
  });

  it('keeps a pace between steps and returns early on a pause', async () => {
    const t = setup();
    const started = performance.now();
    const pacing = t.s.operation('running', async () => {
      await t.s.waitUntil(started, () => 60_000);
    });
    await tick();
    t.s.requestPause();
    await pacing;
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(t.statuses).toEqual(['running', 'idle']);
  });
});
