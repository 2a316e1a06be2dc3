/**
 * Which backend trains fastest here, decided from measured step times (pure: no backend is touched, so tests
 * feed it made-up timings). The engine worker times one short training step of the current model on each
 * backend it can create (selectBackend.ts) and this file picks the winner, says why in a sentence for the
 * device badge, and tells when a new model is different enough that the answer could change.
 */
import type { BackendName, DeviceInfo } from '../engine/backend';
import type { ModelConfig } from '../model/config';
import { parameterShapes } from '../model/params';

/** One backend's part in the choice: its step time, or why it could not be created or timed. */
export interface BackendTiming {
  backend: BackendName;
  /** Device of a backend that came up. */
  device?: DeviceInfo;
  /** Best wall time of the timed training step, ms; null when it was not timed (override, or it failed). */
  ms: number | null;
  /** Why the backend could not be used. */
  error?: string;
}

export interface BackendChoice {
  chosen: BackendName;
  /** measurement: the fastest of those timed; override: the user's pick; only: nothing else came up. */
  by: 'measurement' | 'override' | 'only';
  /** The decision in one sentence, e.g. "SwiftShader is a software adapter: the CPU path is 3.1× faster here". */
  reason: string;
  timings: BackendTiming[];
  /** Slower time over faster time of the two fastest (1 when fewer than two were timed). */
  margin: number;
  /** Training work of the measured step (stepWork), to tell later whether a new model needs a new measurement. */
  work: number;
}

/** Never re-measure for a work change smaller than this: step times on a shared machine wobble about as much. */
export const MIN_REMEASURE_FACTOR = 1.5;

/**
 * Pick a backend. With an override that came up, that one; otherwise the fastest timed backend; otherwise
 * the first that came up. Throws when none did.
 */
export function chooseBackend(timings: readonly BackendTiming[], override: BackendName | null, work: number): BackendChoice {
  const working = timings.filter((t) => !t.error);
  if (working.length === 0) throw new Error(`no backend works here: ${timings.map((t) => `${t.backend}: ${t.error}`).join('; ')}`);
  const timed = working.filter((t) => t.ms !== null).sort((a, b) => a.ms! - b.ms!);
  const margin = timed.length >= 2 ? timed[1].ms! / timed[0].ms! : 1;
  const base = { timings: [...timings], margin, work };
  const picked = override ? working.find((t) => t.backend === override) : undefined;
  if (picked) return { ...base, chosen: picked.backend, by: 'override', reason: `${backendLabel(picked)}: your choice (automatic choice is off)` };
  const unavailable = override ? `${backendLabel({ backend: override })} is not available here; ` : '';
  if (timed.length >= 2) return { ...base, chosen: timed[0].backend, by: 'measurement', reason: unavailable + explainRace(timed[0], timed[1], margin) };
  const only = timed[0] ?? working[0];
  const failed = timings.filter((t) => t.error).map((t) => `${backendLabel(t)} failed (${t.error})`);
  return { ...base, chosen: only.backend, by: 'only', reason: `${unavailable}${backendLabel(only)} is the only backend that works here${failed.length ? `: ${failed.join('; ')}` : ''}` };
}

function explainRace(winner: BackendTiming, loser: BackendTiming, margin: number): string {
  const ratio = `${margin.toFixed(1)}×`;
  const gpu = [winner, loser].find((t) => t.backend === 'webgpu');
  if (gpu === loser && gpu.device && isSoftwareAdapter(gpu.device)) {
    return `${adapterName(gpu.device)} is a software adapter: ${backendLabel(winner)} is ${ratio} faster here`;
  }
  return `${capitalise(backendLabel(winner))} is ${ratio} faster here than ${backendLabel(loser)}`;
}

/** How the badge names a backend. */
export function backendLabel(t: Pick<BackendTiming, 'backend' | 'device'>): string {
  if (t.backend === 'webgpu') return t.device ? `WebGPU (${adapterName(t.device)})` : 'WebGPU';
  return t.backend === 'wasm' ? 'the CPU path' : 'the TypeScript oracle';
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A CPU rasteriser posing as a GPU (SwiftShader, llvmpipe/lavapipe, WARP): a CPU backend may well beat it. */
export function isSoftwareAdapter(d: DeviceInfo): boolean {
  return d.isFallbackAdapter || /swiftshader|llvmpipe|lavapipe|software|warp/i.test(`${d.architecture} ${d.description}`);
}

export function adapterName(d: DeviceInfo): string {
  if (/swiftshader/i.test(`${d.architecture} ${d.description}`)) return 'SwiftShader';
  return d.description || `${d.vendor} ${d.architecture}`.trim();
}

/**
 * Estimated floating-point work of a training step of `batch` sequences, per token of context: 6 per weight
 * (forward 2, backward 4) plus attention scores and values over the full context. Only ratios of it are used.
 */
export function stepWork(model: ModelConfig, batch: number): number {
  let weights = 0;
  for (const { shape } of parameterShapes(model)) if (shape.length === 2) weights += shape[0] * shape[1];
  const attention = 4 * model.nLayer * model.nEmbd * model.contextLength;
  return 6 * (weights + attention) * batch;
}

/**
 * Whether a step of `work` could be won by a different backend than the measured choice. A backend's step time
 * grows at most in proportion to the work (and at least not at all), so when the work changes by a factor k the
 * ratio of two backends' times changes by at most k: the answer can only flip once k reaches the measured margin.
 */
export function needsRemeasure(choice: Pick<BackendChoice, 'by' | 'margin' | 'work'>, work: number): boolean {
  if (choice.by !== 'measurement') return false;
  const k = Math.max(work / choice.work, choice.work / work);
  return k >= Math.max(choice.margin, MIN_REMEASURE_FACTOR);
}
