/** Messages between the page and the engine worker. Every request carries an id that its reply echoes. */
import type { DeviceInfo } from '../engine/backend';

export type EngineRequest = { id: number; type: 'probe' };

/** The backend the worker chose: WebGPU when it works, else CPU with the reason WebGPU could not be used. */
export interface ProbeResult {
  device: DeviceInfo;
  /** Set only when the worker fell back to the CPU backend. */
  fallbackReason?: string;
}

export type EngineReply =
  | { id: number; type: 'probe'; ok: true; result: ProbeResult }
  | { id: number; type: 'probe'; ok: false; error: string };
