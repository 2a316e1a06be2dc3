/// <reference lib="webworker" />
/**
 * The engine's home off the main thread and the only place the engine runs. `navigator.gpu` exists in dedicated
 * workers, so the WebGPU backend is created here. The backend is picked by timing a training step on each one
 * that comes up (selectBackend.ts); the choice is revisited when the user overrides it or the model changes
 * enough, but only while the run has no progress to keep: otherwise it applies at the run's next reset.
 */
import type { BackendName } from '../engine/backend';
import type { WebGpuBackend } from '../engine/backend/webgpu';
import { DEFAULT_RUN, type RunConfig } from '../rl/runConfig';
import { PICKABLE, BackendChooser, type SelectedBackend } from './selectBackend';
import type { EngineMessage, EngineRequest, ProbeResult, RunEvent, RunStatus } from './protocol';
import { RunHost } from './runHost';
import { describe } from './backendChoice';

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

/** The run's status as last announced: the backend may only change while it is idle. */
let runStatus: RunStatus = 'idle';
const host = new RunHost(backends, (event: RunEvent) => {
  if (event.kind === 'status') runStatus = event.status;
  post({ type: 'event', event });
});

function probeResult(selected: SelectedBackend, pending?: string): ProbeResult {
  return { device: selected.device, fallbackReason: selected.fallbackReason, choice: selected.choice!, pickable: [...PICKABLE], pending };
}

/** Apply the user's pick now when the run has no progress; else say when it will apply. */
async function probe(override: BackendName | null | undefined): Promise<ProbeResult> {
  // A stored name this build does not know (or a hand-edited one) means the measured choice.
  if (override !== undefined) backends.setOverride(override && PICKABLE.includes(override) ? override : null);
  let selected = await backends.current();
  if (backends.isStale()) {
    if (runStatus !== 'idle') {
      const pick = override ? describe({ backend: override }) : 'the measured choice';
      return probeResult(selected, `${pick} applies when this run is reset: its progress stays on ${describe({ backend: selected.backend.name, device: selected.device })}`);
    }
    // An untrained experiment may still hold the old backend: drop it first.
    await host.handle({ type: 'reset' });
    selected = backends.isStale() ? await backends.renew() : await backends.current();
  }
  return probeResult(selected);
}

/** A new run config right after configure/import: measure again at once if its model could change the answer. */
function runChanged(run: RunConfig): void {
  backends.setRun(run);
  if (runStatus === 'idle' && backends.isStale()) void backends.renew();
}

async function handle(req: EngineRequest): Promise<unknown> {
  if (req.type === 'probe') return probe(req.override);
  const { id: _id, ...cmd } = req;
  void _id;
  const result = await host.handle(cmd);
  const config = (result as { config?: RunConfig } | null)?.config;
  if (config) runChanged(config);
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
