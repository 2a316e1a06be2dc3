/**
 * The run host's scheduler: at most one long operation (warm-start, the GRPO loop, one step) or short exclusive
 * job (resume, loading a judge) holds the engine at a time; everything else is refused, waits, or runs between
 * two steps of the operation. It owns the run status, and the one rule for the status a run rests in.
 *
 * Pause and reset only set flags that the operation checks at its step boundaries (`boundary()`), after yielding
 * to the event loop so the worker can receive them at all (the CPU backend resolves reads synchronously).
 * Read-outs (attention maps, log-probs, saves) asked for while an operation runs wait for the next boundary, so
 * they never see a half-applied step.
 */
import { GpuError } from '../engine/backend/webgpu/errors';
import type { RunStatus } from './protocol';

/** Thrown at a step boundary when a reset asked the operation to stop; never reported as an error. */
export class Stopped extends Error {}

/** What a run has done, as far as its status depends on it. */
export interface RunProgress {
  iteration: number;
  /** GRPO iterations the run plans. */
  iterations: number;
  sftDone: boolean;
}

/** The status of a run nothing is running on: done, paused with progress, or idle (nothing trained yet). */
export function restingStatus(p: RunProgress): RunStatus {
  if (p.iteration >= p.iterations) return 'done';
  return p.sftDone || p.iteration > 0 ? 'paused' : 'idle';
}

export interface SchedulerHooks {
  /** Every status change, for the page. */
  onStatus(status: RunStatus): void;
  /** The run's progress now (for the status it rests in after an operation). */
  progress(): RunProgress;
  /** Once an operation's body finished: keep what it made (e.g. a checkpoint) before the status settles. */
  settle(): Promise<void>;
  /** An operation failed: report it. A lost device leaves the run resumable ('lost'), anything else is an error. */
  onFailure(message: string, deviceLost: boolean): void;
}

const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export class Scheduler {
  private current: RunStatus = 'idle';
  private busy: Promise<void> | null = null;
  /** What holds the engine while busy, and what to do about it, for refusals. */
  private activity = '';
  private pauseRequested = false;
  private stopRequested = false;
  /** Read-outs asked for while something runs; they run between its steps, never inside one. */
  private between: Array<() => Promise<void>> = [];

  constructor(private readonly hooks: SchedulerHooks) {}

  get status(): RunStatus {
    return this.current;
  }

  get isBusy(): boolean {
    return this.busy !== null;
  }

  /** A pause was asked for during the running operation; loops check it between iterations. */
  get pausing(): boolean {
    return this.pauseRequested;
  }

  setStatus(status: RunStatus): void {
    this.current = status;
    this.hooks.onStatus(status);
  }

  /** The status the run rests in now that nothing runs on it. */
  rest(): void {
    this.setStatus(restingStatus(this.hooks.progress()));
  }

  /** A lost device: the run stops where it is and can resume from its last checkpoint. */
  lose(message: string): void {
    this.hooks.onFailure(message, true);
    this.setStatus('lost');
  }

  assertNotBusy(what: string): void {
    if (this.busy) throw new Error(`cannot ${what} while ${this.activity}`);
  }

  /** Not busy, and not in a state that only a reset or a resume leaves. */
  assertIdle(what: string): void {
    this.assertNotBusy(what);
    if (this.current === 'error') throw new Error(`cannot ${what}: the engine hit an error; reset to continue`);
    if (this.current === 'lost') throw new Error(`cannot ${what}: the GPU device was lost; resume from the last checkpoint or reset`);
  }

  /**
   * Ask the running loop to stop after its current iteration; during Train's warm-start, to stop right after the
   * warm-start. Ignored otherwise (a single step or a lone warm-start runs to its end).
   */
  requestPause(): void {
    if (this.current === 'running' || this.current === 'warming') this.pauseRequested = true;
  }

  /** Stop whatever runs at its next boundary and wait until it has; afterwards nothing runs. */
  async stop(): Promise<void> {
    if (this.busy) {
      this.stopRequested = true;
      await this.busy;
    }
    this.stopRequested = false;
  }

  /**
   * Run one long operation: `status` while it runs, then the resting status, or 'error' / 'lost' with the
   * message. Resolves when it has ended (a stop ends it silently).
   */
  async operation(status: RunStatus, body: () => Promise<void>): Promise<void> {
    this.setStatus(status);
    const work = (async () => {
      try {
        await body();
        await this.hooks.settle();
        this.rest();
      } catch (err) {
        if (err instanceof Stopped) return;
        const message = err instanceof Error ? err.message : String(err);
        if (err instanceof GpuError && err.kind === 'device-lost') this.lose(message);
        else {
          this.hooks.onFailure(message, false);
          this.setStatus('error');
        }
      }
    })();
    this.busy = work;
    this.activity = `the run is ${status}: pause it first`;
    try {
      await work;
    } finally {
      this.busy = null;
      this.pauseRequested = false;
      // Read-outs that arrived after the last step still get an answer (an error when the run was reset).
      await this.runBetween();
    }
  }

  /**
   * A step boundary inside an operation: let the worker receive messages, run the read-outs that waited, and
   * stop here if a reset asked for it.
   */
  async boundary(): Promise<void> {
    await yieldToEvents();
    await this.runBetween();
    if (this.stopRequested) throw new Stopped();
  }

  /**
   * Wait until `ms` have passed since `started` (slowed-down training), in short slices so a pause, a reset or a
   * faster pace (`ms()` is read each slice) takes effect at once; read-outs run meanwhile.
   */
  async waitUntil(started: number, ms: () => number): Promise<void> {
    for (;;) {
      if (this.stopRequested) throw new Stopped();
      const left = ms() - (performance.now() - started);
      if (left <= 0 || this.pauseRequested) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(left, 100)));
      await this.runBetween();
    }
  }

  /**
   * Hold the engine for a short job that is not a training operation (resume, loading a judge): other commands
   * are refused meanwhile, a stop waits for it, and read-outs asked for meanwhile run after it.
   */
  async exclusively<T>(what: string, activity: string, body: () => Promise<T>): Promise<T> {
    this.assertNotBusy(what);
    const work = body();
    this.busy = work.then(
      () => undefined,
      () => undefined,
    );
    this.activity = `${activity}: wait for it to finish`;
    try {
      return await work;
    } finally {
      this.busy = null;
      await this.runBetween();
    }
  }

  /**
   * Run a job that must see the run between steps (a read-out, a save): now when nothing runs, else at the next
   * boundary of what runs. It is refused once the run has failed, so it never reads a broken state.
   */
  betweenSteps<T>(body: () => Promise<T>): Promise<T> {
    const read = async () => {
      if (this.current === 'error') throw new Error('the engine hit an error; reset to continue');
      if (this.current === 'lost') throw new Error('the GPU device was lost; resume from the last checkpoint or reset');
      return body();
    };
    if (!this.busy) return read();
    return new Promise((resolve, reject) => this.between.push(() => read().then(resolve, reject)));
  }

  private async runBetween(): Promise<void> {
    for (const job of this.between.splice(0)) await job();
  }
}
