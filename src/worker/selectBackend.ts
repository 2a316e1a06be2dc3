/**
 * Picks the engine backend: WebGPU on the given entry point when it yields a device, otherwise the CPU backend
 * with the reason. Separate from the worker file so Node tests can exercise it with a stand-in GPU.
 */
import type { Backend } from '../engine/backend';
import { createCpuBackend } from '../engine/backend/cpu';
import { createWebGpuBackend } from '../engine/backend/webgpu';
import type { ProbeResult } from './protocol';

export interface SelectedBackend extends ProbeResult {
  backend: Backend;
}

export async function selectBackend(gpu: GPU | undefined | null): Promise<SelectedBackend> {
  try {
    const backend = await createWebGpuBackend(gpu);
    return { backend, device: backend.device };
  } catch (err) {
    // Any failure (no navigator.gpu, no adapter, requestDevice rejected) leaves the CPU as the only working
    // backend; the message is kept so the UI can say why training will be slower.
    const backend = createCpuBackend();
    return { backend, device: backend.device, fallbackReason: err instanceof Error ? err.message : String(err) };
  }
}
