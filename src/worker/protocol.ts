/**
 * Messages between the page and the engine worker. Every request carries an id that its reply echoes; run
 * progress (SFT steps, GRPO iterations, status changes, errors) streams as id-less events in between.
 */
import type { BackendName, DeviceInfo } from '../engine/backend';
import type { BackendChoice } from './backendChoice';
import type { JudgeFiles, JudgeInfo } from './onnxJudge';
import type { VerifiedOnnx } from './onnxExport';
import type { SftStepMetrics } from '../model/sft';
import type { EvalMetrics, ExperimentState } from '../rl/experiment';
import type { Plot } from '../rl/plots';
import type { Metrics, RolloutRecord } from '../rl/trainer';
import type { StepValue } from '../rl/judges/stepwiser';
import type { RunConfig } from '../rl/runConfig';

/** The backend the worker chose by measurement (or the user's pick), and why. */
export interface ProbeResult {
  device: DeviceInfo;
  /** Set only when WebGPU could not be used at all: why. */
  fallbackReason?: string;
  choice: BackendChoice;
  /** Backends the user can pick. */
  pickable: BackendName[];
  /** The user's pick waits for the run to be reset (a run with progress keeps its backend): says so. */
  pending?: string;
}

/** A sequence to draw attention maps for: a rollout's prompt, completion tokens and activation seed. */
export interface AttentionRequest {
  prompt: string;
  tokens: number[];
  actSeed: number;
  /** RolloutRecord.iteration: picks the FFN activation it was sampled with (Swi+FT switches it late in a run). */
  iteration: number;
}

export interface CurrentLogprobs {
  /** log π_θ(token) per completion token, at the sampling temperature, under the policy as trained now. */
  logprobs: number[];
  /** GRPO iterations that policy has been trained for. */
  iteration: number;
}

export interface AttentionMaps {
  /** Token text per position (BOS first), for both axes. */
  labels: string[];
  nHead: number;
  /** Per layer, probabilities after MTA, [H, T, T] row-major: maps[l][(h·T + query)·T + key]. */
  maps: Float32Array[];
  /** Per layer, the fraction of exact zeros in the FFN hidden activations over this sequence's tokens. */
  ffnSparsity: number[];
}

export interface ParamStat {
  name: string;
  shape: number[];
  /** L2 norm of the values. */
  norm: number;
  /** L2 norm of the gradient buffer (the last optimizer step's). */
  gradNorm: number;
}

/** One MTA kernel or head-mixing matrix as trained so far (kq_pre/kq_post [H,cq,ck], head_mix_* [H,H] or [H/g,g,g]). */
export interface MtaKernel {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** The policy after an iteration: per-tensor norms, and the MTA kernels (empty without MTA; they are tiny). */
export interface ModelSnapshot {
  params: ParamStat[];
  mta: MtaKernel[];
}

export type { JudgeFiles, JudgeInfo, VerifiedOnnx };

export interface CheckpointBytes {
  configJson: string;
  weights: Uint8Array;
}

/** What a run can be asked to do. `configure` takes RunConfig JSON text so the worker validates what it runs. */
export type RunCommand =
  | { type: 'configure'; config: string }
  /** `confirmed`: the person accepted the resource guard's slowness warning for this run. */
  | { type: 'warmStart'; confirmed?: boolean }
  | { type: 'train'; confirmed?: boolean }
  | { type: 'pause' }
  /** Slow training down to at most one iteration per `minIterationMs` (0: full speed); applies at once. */
  | { type: 'setPace'; minIterationMs: number }
  | { type: 'step'; confirmed?: boolean }
  /** The resource guard's verdict on the configured run, before any work starts. */
  | { type: 'checkResources' }
  | { type: 'reset' }
  /** After a device loss: a fresh backend, then the run as it was at its last checkpoint. */
  | { type: 'resume' }
  /** After a reload or an engine restart: the run of `config` (RunConfig JSON) as its durable checkpoint kept it. */
  | { type: 'restore'; config: string; checkpoint: RunCheckpoint }
  /** Keep a checkpoint (in memory, and sent out as a `checkpoint` event) at most this often while training. */
  | { type: 'setCheckpointEvery'; ms: number }
  | { type: 'loadJudge'; judge: JudgeFiles }
  | { type: 'unloadJudge' }
  | { type: 'exportCheckpoint' }
  | { type: 'exportOnnx' }
  /** The judge a j1 or onpolicy-rm run trained, as ONNX (checked like the policy's). */
  | { type: 'exportJudgeOnnx' }
  | { type: 'importCheckpoint'; checkpoint: CheckpointBytes }
  | { type: 'attention'; sequence: AttentionRequest }
  | { type: 'tokenLogprobs'; sequence: AttentionRequest }
  | { type: 'stepValues'; rollout: StepValuesRequest };

export type RequestType = 'probe' | RunCommand['type'];

/** The result each request resolves with. */
export interface ResultOf {
  probe: ProbeResult;
  configure: { config: RunConfig };
  warmStart: null;
  train: null;
  pause: null;
  setPace: null;
  step: null;
  checkResources: ResourceCheck;
  reset: null;
  resume: null;
  restore: { config: RunConfig };
  setCheckpointEvery: null;
  loadJudge: JudgeInfo;
  unloadJudge: null;
  exportCheckpoint: CheckpointBytes;
  exportOnnx: VerifiedOnnx;
  exportJudgeOnnx: VerifiedOnnx;
  importCheckpoint: { config: RunConfig };
  attention: AttentionMaps;
  tokenLogprobs: CurrentLogprobs;
  stepValues: StepValue[];
}

/** What the resource guard says about a run on this device (src/rl/resourceGuard.ts). */
export interface ResourceCheck {
  /** Why it cannot run here, with the numbers; null when it fits. */
  refusal: string | null;
  /** The ETA to confirm when it fits but is slow; null otherwise. */
  slow: string | null;
  /** Memory by kind, in one line. */
  memory: string;
}

/** A multi-step rollout to judge step by step (StepWiser): its prompt, completion and the gold answer. */
export interface StepValuesRequest {
  prompt: string;
  completion: string;
  gold: string;
}

/** `probe` reports the backend; with `override` it first applies the user's pick (null: the measured choice). */
export type EngineRequest = { id: number } & ({ type: 'probe'; override?: BackendName | null } | RunCommand);

/**
 * idle: nothing trained since the last reset; warming: SFT running; running: GRPO loop; stepping: one iteration;
 * paused: progress kept, nothing running; done: every planned iteration ran; lost: the GPU device was lost and the
 * run can resume from its last checkpoint; error: only reset (or a new config) helps.
 */
export type RunStatus = 'idle' | 'warming' | 'running' | 'stepping' | 'paused' | 'done' | 'lost' | 'error';

/** Everything a run needs to continue exactly: after `iteration` GRPO iterations, warm-started or not. */
export interface RunCheckpoint {
  iteration: number;
  sftDone: boolean;
  state: ExperimentState;
}

export type RunEvent =
  | { kind: 'status'; status: RunStatus; iteration: number; sftDone: boolean }
  | { kind: 'sft'; total: number; elapsedMs: number; metrics: SftStepMetrics }
  /** Held-out metrics right after warm-start (iteration 0, before any GRPO update). */
  | { kind: 'baseline'; eval: EvalMetrics }
  | { kind: 'iteration'; iteration: number; total: number; metrics: Metrics; rollouts: RolloutRecord[]; plots: Plot[]; eval: EvalMetrics | null; model: ModelSnapshot }
  /** A device loss names the iteration its checkpoint holds (null: nothing to resume, e.g. lost during warm-start). */
  | { kind: 'error'; message: string; deviceLost: boolean; resumeFrom?: number | null }
  /**
   * A checkpoint was taken (after the warm-start, at most every checkpoint interval, when an operation ends),
   * after the events of the progress it holds; the page keeps it in IndexedDB.
   */
  | { kind: 'checkpoint'; checkpoint: RunCheckpoint }
  /** The engine worker died and a fresh one took its place: the run in it is gone (the page may restore it). */
  | { kind: 'restarted'; message: string };

export type EngineReply =
  | { id: number; type: RequestType; ok: true; result: unknown }
  | { id: number; type: RequestType; ok: false; error: string };

/** `device`: the worker selected a backend again (a new model was measured, or a reset applied the user's pick). */
export type EngineMessage = EngineReply | { type: 'event'; event: RunEvent } | { type: 'device'; result: ProbeResult };
