/**
 * One playground run inside the engine worker: config, SFT warm-start, the GRPO loop, checkpoints. Commands are
 * answered by promises; progress goes out through `emit`. Kept apart from the worker file so Node tests drive the
 * same code on the CPU backend.
 *
 * Concurrency (one operation at a time, pause/reset at step boundaries, read-outs between steps) lives in
 * ./scheduler.ts.
 */
import type { Backend } from '../engine/backend';
import { judgeSteps } from './steps';
import { exportVerifiedOnnx, type VerifiedOnnx } from './onnxExport';
import { savedJ1Judge } from '../rl/judgeTraining/j1Judge';
import { J1_JUDGE_MODEL } from '../rl/judgeTraining/j1Trainer';
import { loadCheckpoint, saveCheckpoint } from '../model/checkpoint';
import type { ModelConfig } from '../model/config';
import { CharTokenizer } from '../model/tokenizer';
import { Experiment, type ExperimentState } from '../rl/experiment';
import type { AsyncJudge } from '../rl/rewards';
import { describeMemory, estimateRun, guardRun, limitsOf, probeFlops, type RunEstimate, type Verdict } from '../rl/resourceGuard';
import { DEFAULT_RUN, needsLoadedJudge, parseRunConfig, type RunConfig } from '../rl/runConfig';
import { getTask } from '../rl/tasks/registry';
import { attentionMaps, currentLogprobs, modelSnapshot } from './inspect';
import type { AttentionMaps, AttentionRequest, CheckpointBytes, CurrentLogprobs, ResourceCheck, ResultOf, RunCheckpoint, RunCommand, RunEvent, RunStatus } from './protocol';
import { Scheduler } from './scheduler';
import type { SelectedBackend } from './selectBackend';
import { loadOnnxJudge, type JudgeFiles, type JudgeInfo, type LoadedJudge } from './onnxJudge';

export interface BackendSource {
  /** The current backend (selected once). */
  current(): Promise<SelectedBackend>;
  /** Dispose the current backend and select a fresh one (frees every tensor of the discarded run, recovers a lost device). */
  renew(): Promise<SelectedBackend>;
}

export interface RunHostOptions {
  /**
   * While training, keep a checkpoint at most this often (plus after warm-start and whenever an operation ends):
   * a lost GPU device resumes from it, and the page writes it to IndexedDB. Each one reads the weights and
   * optimizer state back. The page's setting replaces it (setCheckpointEvery).
   */
  checkpointEveryMs: number;
  /** Memory a run may use (the resource guard refuses runs that need more). */
  memoryBytes?: number;
  /** How fast this backend is before it has trained anything (FLOP/s); a short matmul probe by default. */
  probe?: (backend: Backend) => Promise<number>;
}

/** Without a better figure from the browser: what a run may use. */
const DEFAULT_MEMORY_BYTES = 4 * 2 ** 30;

/** The run as it was after `iteration` GRPO iterations (0: right after warm-start or an imported checkpoint). */
interface SavedProgress {
  iteration: number;
  state: ExperimentState;
}

export class RunHost {
  private run: RunConfig = DEFAULT_RUN;
  private exp: Experiment | null = null;
  private iteration = 0;
  private sftDone = false;
  /** Shortest wall time of one iteration while training (0: as fast as the device goes). */
  private paceMs = 0;
  private readonly scheduler = new Scheduler({
    onStatus: (status) => this.emit({ kind: 'status', status, iteration: this.iteration, sftDone: this.sftDone }),
    progress: () => ({ iteration: this.iteration, iterations: this.run.iterations, sftDone: this.sftDone }),
    settle: async () => {
      if (this.saved?.iteration !== this.iteration) await this.checkpoint();
      // On pause and at the end: the page keeps this one whatever its interval.
      this.publishCheckpoint();
    },
    onFailure: (message, deviceLost) =>
      this.emit(deviceLost ? { kind: 'error', message, deviceLost, resumeFrom: this.saved?.iteration ?? null } : { kind: 'error', message, deviceLost }),
  });
  private saved: SavedProgress | null = null;
  private checkpointEveryMs: number;
  /** The resource estimate of the configured run (computed once per config). */
  private estimated: RunEstimate | null = null;
  /** FLOP/s this backend has shown (probe first, then measured steps). */
  private flopsPerSecond: number | null = null;
  /** The slowness warning was accepted for this run. */
  private slowConfirmed = false;
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
    private readonly options: RunHostOptions = { checkpointEveryMs: 30_000 },
  ) {
    this.checkpointEveryMs = options.checkpointEveryMs;
  }

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
        return this.warmStart(cmd.confirmed);
      case 'train':
        return this.train(cmd.confirmed);
      case 'pause':
        this.scheduler.requestPause();
        return null;
      case 'setPace':
        if (!(cmd.minIterationMs >= 0 && cmd.minIterationMs <= 60_000)) throw new Error(`the pace must be 0 to 60000 ms per iteration, got ${cmd.minIterationMs}`);
        this.paceMs = cmd.minIterationMs;
        return null;
      case 'step':
        return this.step(cmd.confirmed);
      case 'checkResources':
        return this.checkResources();
      case 'reset':
        await this.reset();
        return null;
      case 'resume':
        return this.resume();
      case 'restore':
        return this.restore(cmd.config, cmd.checkpoint);
      case 'setCheckpointEvery':
        if (!(cmd.ms >= 0 && cmd.ms <= 3_600_000)) throw new Error(`the checkpoint interval must be 0 to 3600 s, got ${cmd.ms / 1000} s`);
        this.checkpointEveryMs = cmd.ms;
        return null;
      case 'loadJudge':
        return this.loadJudge(cmd.judge);
      case 'unloadJudge':
        this.scheduler.assertNotBusy('unload the judge');
        await this.judge?.release();
        this.judge = null;
        return null;
      case 'exportCheckpoint':
        return this.exportCheckpoint();
      case 'exportOnnx':
        return this.exportOnnx();
      case 'exportJudgeOnnx':
        return this.exportJudgeOnnx();
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

  private get status(): RunStatus {
    return this.scheduler.status;
  }

  /** Validate first: a bad config is answered with every problem and leaves the current run untouched. */
  private async configure(json: string): Promise<{ config: RunConfig }> {
    const run = parseRunConfig(json);
    this.scheduler.assertNotBusy('change the settings');
    await this.reset();
    this.run = run;
    this.estimated = null;
    return { config: run };
  }

  private get estimate(): RunEstimate {
    this.estimated ??= estimateRun(this.run);
    return this.estimated;
  }

  private async verdict(): Promise<Verdict> {
    const { backend } = await this.backends.current();
    this.flopsPerSecond ??= await (this.options.probe ?? probeFlops)(backend);
    return guardRun(this.run, limitsOf(backend, this.options.memoryBytes ?? DEFAULT_MEMORY_BYTES), this.flopsPerSecond);
  }

  private async checkResources(): Promise<ResourceCheck> {
    this.scheduler.assertNotBusy('check resources');
    const v = await this.verdict();
    return { refusal: v.refusal, slow: v.slow, memory: describeMemory(v.estimate) };
  }

  /**
   * The resource guard, before any work of a run starts: refuse what cannot fit, and what would be slow unless
   * the person confirmed it. Checked until GRPO has started (an imported checkpoint or a warm-start does not
   * make GRPO fit).
   */
  private async guard(what: string, confirmed = false): Promise<void> {
    if (this.iteration > 0) return;
    const v = await this.verdict();
    if (v.refusal) throw new Error(v.refusal);
    if (v.slow && !confirmed && !this.slowConfirmed) throw new Error(`${v.slow} Confirm to start.`);
    this.slowConfirmed = true;
    // The probe awaited: another command may have started meanwhile.
    this.scheduler.assertIdle(what);
  }

  /** Measured speed of this backend from a step that took `ms` and cost `flops`. */
  private observeSpeed(flops: number, ms: number): void {
    if (flops > 0 && ms > 0) this.flopsPerSecond = flops / (ms / 1000);
  }

  private async experiment(): Promise<Experiment> {
    if (!this.exp) {
      const { backend } = await this.backends.current();
      this.exp = new Experiment(backend, this.run, undefined, this.scoreWithJudge);
    }
    return this.exp;
  }

  private async warmStart(confirmed?: boolean): Promise<null> {
    this.scheduler.assertIdle('warm-start');
    if (this.sftDone) throw new Error('this run is already warm-started; reset to start again');
    if (this.iteration > 0) throw new Error('warm-start comes before GRPO; reset to start again');
    await this.guard('warm-start', confirmed);
    await this.scheduler.operation('warming', () => this.runWarmStart());
    return null;
  }

  /** Train and Step run the whole run: warm-start steps that have not run come first (none once GRPO started). */
  private get warmStartDue(): boolean {
    return !this.sftDone && this.iteration === 0 && this.run.sft.steps > 0;
  }

  /** SFT with a progress event per step, a checkpoint after it, and the held-out baseline before any GRPO update. */
  private async runWarmStart(): Promise<void> {
    const exp = await this.experiment();
    const t0 = performance.now();
    await exp.warmStart(async (metrics) => {
      const elapsedMs = performance.now() - t0;
      this.observeSpeed(this.estimate.sftStepFlops * metrics.step, elapsedMs);
      this.emit({ kind: 'sft', total: this.run.sft.steps, elapsedMs, metrics });
      await this.scheduler.boundary();
    });
    this.sftDone = true;
    await this.checkpoint();
    this.emit({ kind: 'baseline', eval: await exp.evaluate() });
    this.publishCheckpoint();
  }

  /** Run `status`'s GRPO work as one operation, warm-starting first (status 'warming' meanwhile) when due. */
  private withWarmStart(status: RunStatus, body: () => Promise<void>): Promise<void> {
    if (!this.warmStartDue) return this.scheduler.operation(status, body);
    return this.scheduler.operation('warming', async () => {
      await this.runWarmStart();
      this.scheduler.setStatus(status);
      await body();
    });
  }

  private assertCanIterate(): void {
    this.scheduler.assertIdle('train');
    if (this.iteration >= this.run.iterations) {
      throw new Error(`all ${this.run.iterations} iterations have run; reset, or raise the iteration count`);
    }
    if (needsLoadedJudge(this.run)) {
      if (!this.judge) throw new Error('the model_judge reward has a weight but no ONNX judge is loaded: load one under Rewards, or set its weight to 0');
      const unreadable = this.judge.judge.unknownChars(`${getTask(this.run.task).alphabet}?`);
      if (unreadable.length) {
        throw new Error(`judge "${this.judge.info.name}" cannot read ${unreadable.map((c) => JSON.stringify(c)).join(' ')} of task "${this.run.task}": pick a judge trained for this task`);
      }
    }
  }

  private async train(confirmed?: boolean): Promise<null> {
    if (this.status === 'running') return null;
    this.assertCanIterate();
    // Only before GRPO starts, and synchronously past it afterwards: the operation then starts before any read-out
    // sent after this command.
    if (this.iteration === 0) await this.guard('train', confirmed);
    await this.withWarmStart('running', async () => {
      while (this.iteration < this.run.iterations && !this.scheduler.pausing) {
        const started = performance.now();
        await this.iterate();
        // Slowed-down training (for watching or teaching): the iteration takes at least the chosen time.
        if (this.iteration < this.run.iterations) await this.scheduler.waitUntil(started, () => this.paceMs);
      }
    });
    return null;
  }

  private async step(confirmed?: boolean): Promise<null> {
    this.assertCanIterate();
    // Only before GRPO starts, and synchronously past it afterwards: the operation then starts before any read-out
    // sent after this command.
    if (this.iteration === 0) await this.guard('train', confirmed);
    await this.withWarmStart('stepping', () => this.iterate());
    return null;
  }

  private async iterate(): Promise<void> {
    const t0 = performance.now();
    const exp = await this.experiment();
    const r = await exp.trainStep();
    const { backend } = await this.backends.current();
    const model = await modelSnapshot(backend, exp.policy);
    this.iteration++;
    // Wall time of the whole iteration (rollout, update, eval, read-outs): what the ETA is made of.
    r.metrics['time/iteration'] = (performance.now() - t0) / 1000;
    this.observeSpeed(this.estimate.grpoIterationFlops, performance.now() - t0);
    const due = performance.now() - this.savedAt >= this.checkpointEveryMs;
    if (due) await this.checkpoint();
    this.emit({ kind: 'iteration', iteration: this.iteration, total: this.run.iterations, metrics: r.metrics, rollouts: r.rollouts, plots: r.plots ?? [], eval: r.eval, model });
    if (due) this.publishCheckpoint();
    await this.scheduler.boundary();
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
    return this.scheduler.betweenSteps(async () => {
      if (!this.exp) throw new Error('there is no model yet: warm-start or train first');
      const { backend } = await this.backends.current();
      return body(backend, this.exp);
    });
  }

  /** Keep the run's progress in memory, for resuming after a device loss; publishCheckpoint sends it to the page. */
  private async checkpoint(): Promise<void> {
    if (!this.exp) return;
    this.saved = { iteration: this.iteration, state: await this.exp.saveState() };
    this.savedAt = performance.now();
  }

  /**
   * Send the last checkpoint to the page to keep, once the events of the progress it holds are out (so the curves
   * the page keeps with it are the same iterations).
   */
  private publishCheckpoint(): void {
    if (!this.saved) return;
    const checkpoint: RunCheckpoint = { iteration: this.saved.iteration, sftDone: this.sftDone, state: this.saved.state };
    this.emit({ kind: 'checkpoint', checkpoint });
  }

  /**
   * The backend reported its device lost while nothing was running (e.g. a driver reset between steps): the
   * next command would fail anyway, so say so now and offer the resume.
   */
  deviceLost(message: string): void {
    // Only a run with progress to keep; an error (e.g. divergence) stays what it is: resuming would repeat it.
    if (this.scheduler.isBusy || !(this.status === 'paused' || this.status === 'done')) return;
    this.scheduler.lose(message);
  }

  /** Continue a run whose device was lost: a fresh backend, the last checkpoint's weights and trainer state. */
  private resume(): Promise<null> {
    if (this.status !== 'lost') throw new Error(`nothing to resume: the run is ${this.status}`);
    const saved = this.saved;
    if (!saved) throw new Error('the device was lost before the first checkpoint (during warm-start): reset and start again');
    return this.scheduler.exclusively('resume', 'the run is resuming', async () => {
      this.exp = null;
      const { backend } = await this.backends.renew();
      const exp = new Experiment(backend, this.run, undefined, this.scoreWithJudge);
      exp.loadState(saved.state);
      this.exp = exp;
      this.iteration = saved.iteration;
      this.sftDone = true;
      this.scheduler.rest();
      return null;
    });
  }

  /**
   * A run from its durable checkpoint (after a reload or an engine restart): validated like any config, then the
   * checkpoint's weights and trainer state on a fresh backend, so it continues exactly as the device-loss resume.
   */
  private async restore(json: string, checkpoint: RunCheckpoint): Promise<{ config: RunConfig }> {
    const run = parseRunConfig(json);
    this.scheduler.assertNotBusy('restore a run');
    await this.reset();
    this.run = run;
    this.estimated = null;
    return this.scheduler.exclusively('restore a run', 'a run is being restored', async () => {
      const { backend } = await this.backends.current();
      const exp = new Experiment(backend, run, undefined, this.scoreWithJudge);
      exp.loadState(checkpoint.state);
      this.exp = exp;
      this.iteration = checkpoint.iteration;
      this.sftDone = checkpoint.sftDone;
      this.saved = { iteration: checkpoint.iteration, state: checkpoint.state };
      this.savedAt = performance.now();
      this.scheduler.rest();
      return { config: run };
    });
  }

  private loadJudge(files: JudgeFiles): Promise<JudgeInfo> {
    return this.scheduler.exclusively('load a judge', 'a judge is loading', async () => {
      // Loaded and checked first: a bad file leaves the current judge in place.
      const loaded = await loadOnnxJudge(files);
      await this.judge?.release();
      this.judge = loaded;
      return loaded.info;
    });
  }

  /** Stop whatever runs, drop the run's state and start from a fresh backend (the old one may be lost or full). */
  private async reset(): Promise<void> {
    await this.scheduler.stop();
    const hadState = this.exp !== null || this.status === 'error' || this.status === 'lost';
    this.exp = null;
    this.saved = null;
    this.iteration = 0;
    this.sftDone = false;
    this.slowConfirmed = false;
    if (hadState) await this.backends.renew();
    this.scheduler.setStatus('idle');
  }

  private async exportCheckpoint(): Promise<CheckpointBytes> {
    // A save asked for while training waits for the boundary between two iterations: never a half-updated policy.
    if (this.scheduler.isBusy) return this.betweenSteps((backend, exp) => saveCheckpoint(backend, exp.policy, exp.tokenizer));
    this.scheduler.assertIdle('export a checkpoint');
    const exp = await this.experiment();
    const { backend } = await this.backends.current();
    return saveCheckpoint(backend, exp.policy, exp.tokenizer);
  }

  private async exportOnnx(): Promise<VerifiedOnnx> {
    this.scheduler.assertIdle('export ONNX');
    const exp = await this.experiment();
    const { backend } = await this.backends.current();
    return exportVerifiedOnnx(backend, exp.policy);
  }

  /** The run's trained judge (algorithms j1 and onpolicy-rm), rebuilt from the trainer's state and exported. */
  private async exportJudgeOnnx(): Promise<VerifiedOnnx> {
    this.scheduler.assertIdle('export the judge');
    const exp = await this.experiment();
    const weights = (await exp.saveState()).trainer?.models?.[J1_JUDGE_MODEL];
    if (!weights) throw new Error('there is no trained judge yet: train a run of algorithm j1 or onpolicy-rm for at least one iteration');
    const { backend } = await this.backends.current();
    return exportVerifiedOnnx(backend, savedJ1Judge(backend, exp.task.alphabet, this.run.j1, weights).model);
  }

  /**
   * Load weights as a new run's policy. The checkpoint's model settings replace the run's (so the settings shown
   * describe the model that trains); its alphabet must be the current task's, since prompts are encoded with it.
   */
  private async importCheckpoint(files: CheckpointBytes): Promise<{ config: RunConfig }> {
    this.scheduler.assertIdle('import a checkpoint');
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
    this.estimated = null;
    const { backend } = await this.backends.current();
    const { model: policy } = loadCheckpoint(backend, files);
    this.exp = new Experiment(backend, run, policy, this.scoreWithJudge);
    // Loaded weights stand in for the warm-start.
    this.sftDone = true;
    await this.checkpoint();
    this.publishCheckpoint();
    this.scheduler.rest();
    return { config: run };
  }
}
