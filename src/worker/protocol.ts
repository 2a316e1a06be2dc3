/**
 * Messages between the page and the engine worker. Every request carries an id that its reply echoes; run
 * progress (SFT steps, GRPO iterations, status changes, errors) streams as id-less events in between.
 */
import type { DeviceInfo } from '../engine/backend';
import type { SftStepMetrics } from '../model/sft';
import type { EvalMetrics } from '../rl/experiment';
import type { Metrics, RolloutRecord } from '../rl/grpo/trainer';
import type { RunConfig } from '../rl/runConfig';

/** The backend the worker chose: WebGPU when it works, else CPU with the reason WebGPU could not be used. */
export interface ProbeResult {
  device: DeviceInfo;
  /** Set only when the worker fell back to the CPU backend. */
  fallbackReason?: string;
}

export interface CheckpointBytes {
  configJson: string;
  weights: Uint8Array;
}

/** What a run can be asked to do. `configure` takes RunConfig JSON text so the worker validates what it runs. */
export type RunCommand =
  | { type: 'configure'; config: string }
  | { type: 'warmStart' }
  | { type: 'train' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'reset' }
  | { type: 'exportCheckpoint' }
  | { type: 'importCheckpoint'; checkpoint: CheckpointBytes };

export type RequestType = 'probe' | RunCommand['type'];

/** The result each request resolves with. */
export interface ResultOf {
  probe: ProbeResult;
  configure: { config: RunConfig };
  warmStart: null;
  train: null;
  pause: null;
  step: null;
  reset: null;
  exportCheckpoint: CheckpointBytes;
  importCheckpoint: { config: RunConfig };
}

export type EngineRequest = { id: number } & ({ type: 'probe' } | RunCommand);

/**
 * idle: nothing trained since the last reset; warming: SFT running; running: GRPO loop; stepping: one iteration;
 * paused: progress kept, nothing running; done: every planned iteration ran; error: only reset (or a new config) helps.
 */
export type RunStatus = 'idle' | 'warming' | 'running' | 'stepping' | 'paused' | 'done' | 'error';

export type RunEvent =
  | { kind: 'status'; status: RunStatus; iteration: number; sftDone: boolean }
  | { kind: 'sft'; total: number; elapsedMs: number; metrics: SftStepMetrics }
  /** Held-out metrics right after warm-start (iteration 0, before any GRPO update). */
  | { kind: 'baseline'; eval: EvalMetrics }
  | { kind: 'iteration'; iteration: number; total: number; metrics: Metrics; rollouts: RolloutRecord[]; eval: EvalMetrics | null }
  | { kind: 'error'; message: string; deviceLost: boolean };

export type EngineReply =
  | { id: number; type: RequestType; ok: true; result: unknown }
  | { id: number; type: RequestType; ok: false; error: string };

export type EngineMessage = EngineReply | { type: 'event'; event: RunEvent };
