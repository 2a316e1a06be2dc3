/// <reference lib="webworker" />
/**
 * The engine's home off the main thread and the only place the engine runs. `navigator.gpu` exists in dedicated
 * workers, so the WebGPU backend is created here. The backend is picked by timing a training step on each one
 * that comes up (selectBackend.ts); the user's pick and new models change it only while the run is idle
 * (backendSwitch.ts).
 */
import type { WebGpuBackend } from '../engine/backend/webgpu';
import { DEFAULT_RUN, type RunConfig } from '../rl/runConfig';
import { BackendSwitch, probeResult } from './backendSwitch';
import type { EngineMessage, EngineRequest, RunEvent } from './protocol';
import { RunHost } from './runHost';
import { BackendChooser } from './selectBackend';

declare const self: DedicatedWorkerGlobalScope;

const post = (msg: EngineMessage, transfer: Transferable[] = []) => self.postMessage(msg, transfer);

/** Each selection is watched for device loss (reported at once while the run is idle) and shown on the page. */
const backends = new BackendChooser(self.navigator.gpu, DEFAULT_RUN, (choice) =>
  void choice.then(
    (selected) => {
      (selected.backend as Partial<WebGpuBackend>).runtime?.onError((e) => {
        if (e.kind === 'device-lost' && backends.isCurrent(choice)) host.deviceLost(e.message);
      });
      post({ type: 'device', result: probeResult(selected) });
    },
    () => {},
  ),
);

/** Chromium reports up to 8 GiB of device memory; a run may use half of it (the page and the GPU need the rest). */
const memoryBytes = (((self.navigator as { deviceMemory?: number }).deviceMemory ?? 8) * 2 ** 30) / 2;
const host = new RunHost(
  backends,
  (event: RunEvent) => {
    if (event.kind === 'status') switcher.status = event.status;
    post({ type: 'event', event });
  },
  { checkpointEveryMs: 15_000, memoryBytes },
);
const switcher = new BackendSwitch(backends, host);

async function handle(req: EngineRequest): Promise<unknown> {
  if (req.type === 'probe') return switcher.probe(req.override);
  const { id: _id, ...cmd } = req;
  void _id;
  const result = await host.handle(cmd);
  const config = (result as { config?: RunConfig } | null)?.config;
  if (config) switcher.runChanged(config);
  return result;
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
