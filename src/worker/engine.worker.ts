/// <reference lib="webworker" />
/**
 * The engine's home off the main thread and the only place the engine runs. `navigator.gpu` exists in dedicated
 * workers, so the WebGPU backend is created here; a reset disposes it and selects a fresh one.
 */
import type { WebGpuBackend } from '../engine/backend/webgpu';
import type { EngineMessage, EngineRequest, RunEvent } from './protocol';
import { RunHost } from './runHost';
import { RenewableBackend, selectBackend } from './selectBackend';

declare const self: DedicatedWorkerGlobalScope;

/** A device lost while the run is idle is reported at once; a backend renewed on purpose is no longer current. */
const backends: RenewableBackend = new RenewableBackend(
  () => selectBackend(self.navigator.gpu),
  (choice) =>
    void choice.then(({ backend }) =>
      (backend as Partial<WebGpuBackend>).runtime?.onError((e) => {
        if (e.kind === 'device-lost' && backends.isCurrent(choice)) host.deviceLost(e.message);
      }),
    ),
);

const post = (msg: EngineMessage, transfer: Transferable[] = []) => self.postMessage(msg, transfer);
/** Chromium reports up to 8 GiB of device memory; a run may use half of it (the page and the GPU need the rest). */
const memoryBytes = (((self.navigator as { deviceMemory?: number }).deviceMemory ?? 8) * 2 ** 30) / 2;
const host = new RunHost(backends, (event: RunEvent) => post({ type: 'event', event }), { checkpointEveryMs: 15_000, memoryBytes });

async function handle(req: EngineRequest): Promise<unknown> {
  if (req.type === 'probe') {
    const { device, fallbackReason } = await backends.current();
    return { device, fallbackReason };
  }
  const { id: _id, ...cmd } = req;
  void _id;
  return host.handle(cmd);
}

self.onmessage = (ev: MessageEvent<EngineRequest>) => {
  const req = ev.data;
  handle(req).then(
    (result) => {
      // Checkpoint weights can be large: hand the buffer over instead of copying it.
      const weights = (result as { weights?: unknown } | null)?.weights;
      post({ id: req.id, type: req.type, ok: true, result }, weights instanceof Uint8Array ? [weights.buffer] : []);
    },
    (err: unknown) => post({ id: req.id, type: req.type, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
};
