/// <reference lib="webworker" />
/**
 * The engine's home off the main thread and the only place the engine runs. `navigator.gpu` exists in dedicated
 * workers, so the WebGPU backend is created here; a reset disposes it and selects a fresh one.
 */
import type { WebGpuBackend } from '../engine/backend/webgpu';
import type { EngineMessage, EngineRequest, RunEvent } from './protocol';
import { RunHost } from './runHost';
import { selectBackend, type SelectedBackend } from './selectBackend';

declare const self: DedicatedWorkerGlobalScope;

let selected: Promise<SelectedBackend> | undefined;

/** A device lost while the run is idle is reported at once; a backend disposed on purpose is no longer `selected`. */
function watchDeviceLoss(choice: Promise<SelectedBackend>): Promise<SelectedBackend> {
  void choice.then(({ backend }) =>
    (backend as Partial<WebGpuBackend>).runtime?.onError((e) => {
      if (e.kind === 'device-lost' && selected === choice) host.deviceLost(e.message);
    }),
  );
  return choice;
}

const backends = {
  current: () => (selected ??= watchDeviceLoss(selectBackend(self.navigator.gpu))),
  async renew() {
    const old = selected;
    selected = undefined;
    if (old) {
      try {
        (await old).backend.dispose();
      } catch {
        // A lost device can fail to dispose; the fresh backend below replaces it either way.
      }
    }
    return backends.current();
  },
};

const post = (msg: EngineMessage, transfer: Transferable[] = []) => self.postMessage(msg, transfer);
const host = new RunHost(backends, (event: RunEvent) => post({ type: 'event', event }));

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
