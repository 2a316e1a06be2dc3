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

/**
 * The backend a run host uses: selected on first need; `renew` disposes it and selects a fresh one (after a
 * reset, or a lost device). `onSelect` sees each new selection, e.g. to watch it for device loss.
 */
export class RenewableBackend {
  private selected: Promise<SelectedBackend> | undefined;

  constructor(
    private readonly select: () => Promise<SelectedBackend>,
    private readonly onSelect: (choice: Promise<SelectedBackend>) => void = () => {},
  ) {}

  current(): Promise<SelectedBackend> {
    if (!this.selected) {
      this.selected = this.select();
      this.onSelect(this.selected);
    }
    return this.selected;
  }

  /** Whether `choice` is still the backend in use (not yet replaced by a renew). */
  isCurrent(choice: Promise<SelectedBackend>): boolean {
    return this.selected === choice;
  }

  async renew(): Promise<SelectedBackend> {
    const old = this.selected;
    this.selected = undefined;
    if (old) {
      try {
        (await old).backend.dispose();
      } catch {
        // A lost device can fail to dispose; the fresh backend replaces it either way.
      }
    }
    return this.current();
  }
}
