/**
 * One playground run inside the engine worker: config, SFT warm-start, the GRPO loop, checkpoints. Commands are
 * answered by promises; progress goes out through `emit`. Kept apart from the worker file so Node tests drive the
 * same code on the CPU backend.
 *
 * Concurrency: at most one long operation (SFT, the loop, one step) runs at a time. Pause and reset only set
 * flags that the operation checks between SFT steps / GRPO iterations, after yielding to the event loop so the
 * worker can receive them at all (the CPU backend resolves reads synchronously).
 */
import type { Backend } from '../engine/backend';
import { GpuError } from '../engine/backend/webgpu/errors';
import { judgeSteps } from './steps';
import { exportVerifiedOnnx, type VerifiedOnnx } from './onnxExport';
import { loadCheckpoint, saveCheckpoint } from '../model/checkpoint';
import type { ModelConfig } from '../model/config';
import { CharTokenizer } from '../model/tokenizer';
import { Experiment, type ExperimentState } from '../rl/experiment';
import type { AsyncJudge } from '../rl/rewards';
import { DEFAULT_RUN, parseRunConfig, type RunConfig } from '../rl/runConfig';
import { getTask } from '../rl/tasks/registry';
import { attentionMaps, currentLogprobs, modelSnapshot } from './inspect';
import type { AttentionMaps, AttentionRequest, CheckpointBytes, CurrentLogprobs, ResultOf, RunCommand, RunEvent, RunStatus } from './protocol';
import type { SelectedBackend } from './selectBackend';
import { loadOnnxJudge, type JudgeFiles, type JudgeInfo, type LoadedJudge } from './onnxJudge';

/** Thrown inside an operation when a reset asked it to stop; never reported as an error. */
class Stopped extends Error {}

const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export interface BackendSource {
  /** The current backend (selected once). */
  current(): Promise<SelectedBackend>;
  /** Dispose the current backend and select a fresh one (frees every tensor of the discarded run, recovers a lost device). */
  renew(): Promise<SelectedBackend>;
}

export interface RunHostOptions {
  /**
   * While training, keep a checkpoint in memory at most this often (plus after warm-start and whenever an
   * operation ends); a lost GPU device resumes from it. Each one reads the weights and optimizer state back.
   */
  checkpointEveryMs: number;
}

/** The run as it was after `iteration` GRPO iterations (0: right after warm-start or an imported checkpoint). */
interface SavedProgress {
  iteration: number;
  state: ExperimentState;
}

export class RunHost {
  private run: RunConfig = DEFAULT_RUN;
  private exp: Experiment | null = null;
  private status: RunStatus = 'idle';
  private iteration = 0;
  private sftDone = false;
  private busy: Promise<void> | null = null;
  /** What holds the host while `busy`, and what to do about it, for refusals. */
  private activity = '';
  /** Shortest wall time of one iteration while training (0: as fast as the device goes). */
  private paceMs = 0;
  private pauseRequested = false;
  private stopRequested = false;
  /** Read-outs asked for while an operation runs; they run between its steps, never inside one. */
  private between: Array<() => Promise<void>> = [];
  private saved: SavedProgress | null = null;
  private savedAt = 0;
  /** The ONNX judge behind the model_judge reward; it lives across runs until replaced or unloaded. */
  private judge: LoadedJudge | null = null;
  private readonly scoreWithJudge: AsyncJudge = (prompt, completion) => {
    if (!this.judge) throw new Error('the model_judge reward needs an ONNX judge: load one under Rewards');
    return this.judge.judge.score(prompt, completion);
  };

  constructor(
    private readonly backends: BackendSource,
    private readonly emit: (e: RunEvent) => void,
    private readonly options: RunHostOptions = { checkpointEveryMs: 15_000 },
  ) {}

  get config(): RunConfig {
    return this.run;
  }

  async handle<C extends RunCommand>(cmd: C): Promise<ResultOf[C['type']]> {
    return (await this.dispatch(cmd)) as ResultOf[C['type']];
  }

  private async dispatch(cmd: RunCommand): Promise<unknown> {
    switch (cmd.type) {
      case 'configure':
        return this.configure(cmd.config);
      case 'warmStart':
        return this.warmStart();
      case 'train':
        return this.train();
      case 'pause':
        if (this.status === 'running') this.pauseRequested = true;
        return null;
      case 'setPace':
        if (!(cmd.minIterationMs >= 0 && cmd.minIterationMs <= 60_000)) throw new Error(`the pace must be 0 to 60000 ms per iteration, got ${cmd.minIterationMs}`);
        this.paceMs = cmd.minIterationMs;
        return null;
      case 'step':
        return this.step();
      case 'reset':
        await this.reset();
        return null;
      case 'resume':
        return this.resume();
      case 'loadJudge':
        return this.loadJudge(cmd.judge);
      case 'unloadJudge':
        this.assertNotBusy('unload the judge');
        await this.judge?.release();
        this.judge = null;
        return null;
      case 'exportCheckpoint':
        return this.exportCheckpoint();
      case 'exportOnnx':
        return this.exportOnnx();
      case 'importCheckpoint':
        return this.importCheckpoint(cmd.checkpoint);
      case 'attention':
        return this.attention(cmd.sequence);
      case 'tokenLogprobs':
        return this.tokenLogprobs(cmd.sequence);
      case 'stepValues':
        return this.betweenSteps(async (backend, exp) => judgeSteps(backend, exp, cmd.rollout));
    }
  }

  private setStatus(status: RunStatus): void {
    this.status = status;
    this.emit({ kind: 'status', status, iteration: this.iteration, sftDone: this.sftDone });
  }

  private assertNotBusy(what: string): void {
    if (this.busy) throw new Error(`cannot ${what} while ${this.activity}`);
  }

  private assertIdle(what: string): void {
    this.assertNotBusy(what);
    if (this.status === 'error') throw new Error(`cannot ${what}: the engine hit an error; reset to continue`);
    if (this.status === 'lost') throw new Error(`cannot ${what}: the GPU device was lost; resume from the last checkpoint or reset`);
  }

  /** Validate first: a bad config is answered with every problem and leaves the current run untouched. */
  private async configure(json: string): Promise<{ config: RunConfig }> {
    const run = parseRunConfig(json);
    this.assertNotBusy('change the settings');
    await this.reset();
    this.run = run;
    return { config: run };
  }

  private async experiment(): Promise<Experiment> {
    if (!this.exp) {
      const { backend } = await this.backends.current();
      this.exp = new Experiment(backend, this.run, undefined, this.scoreWithJudge);
    }
    return this.exp;
  }

  private async warmStart(): Promise<null> {
    this.assertIdle('warm-start');
    if (this.sftDone) throw new Error('this run is already warm-started; reset to start again');
    if (this.iteration > 0) throw new Error('warm-start comes before GRPO; reset to start again');
    await this.operation('warming', async () => {
      const exp = await this.experiment();
      const t0 = performance.now();
      await exp.warmStart(async (metrics) => {
        this.emit({ kind: 'sft', total: this.run.sft.steps, elapsedMs: performance.now() - t0, metrics });
        await yieldToEvents();
        await this.runBetween();
        if (this.stopRequested) throw new Stopped();
      });
      this.sftDone = true;
      await this.checkpoint();
      this.emit({ kind: 'baseline', eval: await exp.evaluate() });
    });
    return null;
  }

  private assertCanIterate(): void {
    this.assertIdle('train');
    if (this.iteration >= this.run.iterations) {
      throw new Error(`all ${this.run.iterations} iterations have run; reset, or raise the iteration count`);
    }
    if (this.run.rewards.weights.model_judge) {
      if (!this.judge) throw new Error('the model_judge reward has a weight but no ONNX judge is loaded: load one under Rewards, or set its weight to 0');
      const unreadable = this.judge.judge.unknownChars(`${getTask(this.run.task).alphabet}?`);
      if (unreadable.length) {
        throw new Error(`judge "${this.judge.info.name}" cannot read ${unreadable.map((c) => JSON.stringify(c)).join(' ')} of task "${this.run.task}": pick a judge trained for this task`);
      }
    }
  }

  private async train(): Promise<null> {
    if (this.status === 'running') return null;
    this.assertCanIterate();
    this.pauseRequested = false;
    await this.operation('running', async () => {
      while (this.iteration < this.run.iterations && !this.pauseRequested) {
        const started = performance.now();
        await this.iterate();
        if (this.iteration < this.run.iterations) await this.keepPace(started);
      }
    });
    return null;
  }

  /**
   * Slowed-down training (for watching or teaching): wait until the iteration has taken the chosen time, in short
   * slices so a pause, reset or a faster pace takes effect at once.
   */
  private async keepPace(started: number): Promise<void> {
    for (;;) {
      if (this.stopRequested) throw new Stopped();
      const left = this.paceMs - (performance.now() - started);
      if (left <= 0 || this.pauseRequested) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(left, 100)));
      await this.runBetween();
    }
  }

  private async step(): Promise<null> {
    this.assertCanIterate();
    await this.operation('stepping', () => this.iterate());
    return null;
  }

  private async iterate(): Promise<void> {
    const t0 = performance.now();
    const exp = await this.experiment();
    const r = await exp.grpoStep();
    const { backend } = await this.backends.current();
    const model = await modelSnapshot(backend, exp.policy);
    this.iteration++;
    if (performance.now() - this.savedAt >= this.options.checkpointEveryMs) await this.checkpoint();
    // Wall time of the whole iteration (rollout, update, eval, read-outs): what the ETA is made of.
    r.metrics['time/iteration'] = (performance.now() - t0) / 1000;
    this.emit({ kind: 'iteration', iteration: this.iteration, total: this.run.iterations, metrics: r.metrics, rollouts: r.rollouts, eval: r.eval, model });
    await yieldToEvents();
    await this.runBetween();
    if (this.stopRequested) throw new Stopped();
  }

  /** Run one long operation: status while it runs, then paused/done, or error with the message. */
  private async operation(status: RunStatus, body: () => Promise<void>): Promise<void> {
    this.setStatus(status);
    const work = (async () => {
      try {
        await body();
        if (this.saved?.iteration !== this.iteration) await this.checkpoint();
        this.setStatus(this.iteration >= this.run.iterations ? 'done' : this.sftDone || this.iteration > 0 ? 'paused' : 'idle');
      } catch (err) {
        if (err instanceof Stopped) return;
        const message = err instanceof Error ? err.message : String(err);
        if (err instanceof GpuError && err.kind === 'device-lost') this.lose(message);
        else {
          this.emit({ kind: 'error', message, deviceLost: false });
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

  private async runBetween(): Promise<void> {
    for (const job of this.between.splice(0)) await job();
  }

  /**
   * Attention maps of one sequence under the current policy. The backend records one submission at a time, so
   * while an operation runs the forward waits for the boundary between two of its steps.
   */
  private attention(sequence: AttentionRequest): Promise<AttentionMaps> {
    return this.betweenSteps((backend, exp) => attentionMaps(backend, exp.policy, exp.tokenizer, sequence, exp.run.iterations));
  }

  /** A rollout's token log-probs under the current policy, as sampled (temperature, activation), between steps. */
  private tokenLogprobs(sequence: AttentionRequest): Promise<CurrentLogprobs> {
    return this.betweenSteps(async (backend, exp) => {
      const sampling = { temperature: exp.run.grpo.temperature, totalIterations: exp.run.iterations };
      return { logprobs: await currentLogprobs(backend, exp.policy, exp.tokenizer, sequence, sampling), iteration: this.iteration };
    });
  }

  /** Run a read-only request on the current policy now, or between two steps of a running operation. */
  private betweenSteps<T>(body: (backend: Backend, exp: Experiment) => Promise<T>): Promise<T> {
    const read = async () => {
      if (!this.exp) throw new Error('there is no model yet: warm-start or train first');
      if (this.status === 'error') throw new Error('the engine hit an error; reset to continue');
      if (this.status === 'lost') throw new Error('the GPU device was lost; resume from the last checkpoint or reset');
      const { backend } = await this.backends.current();
      return body(backend, this.exp);
    };
    if (!this.busy) return read();
    return new Promise((resolve, reject) => this.between.push(() => read().then(resolve, reject)));
  }

  /** Keep the run's progress in memory, for resuming after a device loss. */
  private async checkpoint(): Promise<void> {
    if (!this.exp) return;
    this.saved = { iteration: this.iteration, state: await this.exp.saveState() };
    this.savedAt = performance.now();
  }

  private lose(message: string): void {
    this.emit({ kind: 'error', message, deviceLost: true, resumeFrom: this.saved?.iteration ?? null });
    this.setStatus('lost');
  }

  /**
   * The backend reported its device lost while nothing was running (e.g. a driver reset between steps): the
   * next command would fail anyway, so say so now and offer the resume.
   */
  deviceLost(message: string): void {
    // Only a run with progress to keep; an error (e.g. divergence) stays what it is: resuming would repeat it.
    if (this.busy || !(this.status === 'paused' || this.status === 'done')) return;
    this.lose(message);
  }

  /**
   * Hold the host for a short job that is not a training operation (resume, loading a judge): other commands are
   * refused meanwhile, a reset waits for it, and read-outs asked for meanwhile run after it.
   */
  private async exclusively<T>(what: string, activity: string, body: () => Promise<T>): Promise<T> {
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

  /** Continue a run whose device was lost: a fresh backend, the last checkpoint's weights and trainer state. */
  private resume(): Promise<null> {
    if (this.status !== 'lost') throw new Error(`nothing to resume: the run is ${this.status}`);
    const saved = this.saved;
    if (!saved) throw new Error('the device was lost before the first checkpoint (during warm-start): reset and start again');
    return this.exclusively('resume', 'the run is resuming', async () => {
      this.exp = null;
      const { backend } = await this.backends.renew();
      const exp = new Experiment(backend, this.run, undefined, this.scoreWithJudge);
      exp.loadState(saved.state);
      this.exp = exp;
      this.iteration = saved.iteration;
      this.sftDone = true;
      this.setStatus(this.iteration >= this.run.iterations ? 'done' : 'paused');
      return null;
    });
  }

  private loadJudge(files: JudgeFiles): Promise<JudgeInfo> {
    return this.exclusively('load a judge', 'a judge is loading', async () => {
      // Loaded and checked first: a bad file leaves the current judge in place.
      const loaded = await loadOnnxJudge(files);
      await this.judge?.release();
      this.judge = loaded;
      return loaded.info;
    });
  }

  /** Stop whatever runs, drop the run's state and start from a fresh backend (the old one may be lost or full). */
  private async reset(): Promise<void> {
    if (this.busy) {
      this.stopRequested = true;
      await this.busy;
    }
    this.stopRequested = false;
    const hadState = this.exp !== null || this.status === 'error' || this.status === 'lost';
    this.exp = null;
    this.saved = null;
    this.iteration = 0;
    this.sftDone = false;
    if (hadState) await this.backends.renew();
    this.setStatus('idle');
  }

  private async exportCheckpoint(): Promise<CheckpointBytes> {
    this.assertIdle('export a checkpoint');
    const exp = await this.experiment();
    const { backend } = await this.backends.current();
    return saveCheckpoint(backend, exp.policy, exp.tokenizer);
  }

  private async exportOnnx(): Promise<VerifiedOnnx> {
    this.assertIdle('export ONNX');
    const exp = await this.experiment();
    const { backend } = await this.backends.current();
    return exportVerifiedOnnx(backend, exp.policy);
  }

  /**
   * Load weights as a new run's policy. The checkpoint's model settings replace the run's (so the settings shown
   * describe the model that trains); its alphabet must be the current task's, since prompts are encoded with it.
   */
  private async importCheckpoint(files: CheckpointBytes): Promise<{ config: RunConfig }> {
    this.assertIdle('import a checkpoint');
    const { backend: probeBackend } = await this.backends.current();
    // Parse and check against a throwaway load first, so a bad file leaves the current run untouched.
    const trial = loadCheckpoint(probeBackend, files);
    for (const p of trial.model.params.values()) {
      probeBackend.release(p.value);
      probeBackend.release(p.grad);
    }
    const alphabet = new CharTokenizer(getTask(this.run.task).alphabet).alphabet;
    if (trial.tokenizer.alphabet !== alphabet) {
      throw new Error(`checkpoint's alphabet ${JSON.stringify(trial.tokenizer.alphabet)} does not match task "${this.run.task}" (${JSON.stringify(alphabet)}); pick the task it was trained on first`);
    }
    const model: Partial<ModelConfig> = { ...trial.model.config };
    delete model.vocabSize;
    const run = parseRunConfig({ ...this.run, model: { preset: this.run.model.preset, ...model } });
    await this.reset();
    this.run = run;
    const { backend } = await this.backends.current();
    const { model: policy } = loadCheckpoint(backend, files);
    this.exp = new Experiment(backend, run, policy, this.scoreWithJudge);
    // Loaded weights stand in for the warm-start.
    this.sftDone = true;
    await this.checkpoint();
    this.setStatus('paused');
    return { config: run };
  }
}
