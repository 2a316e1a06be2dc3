/// <reference lib="webworker" />
/**
 * The engine's home off the main thread. `navigator.gpu` exists in dedicated workers, so the WebGPU backend is
 * created here; the backend is chosen once and kept for the worker's lifetime (training will reuse it).
 */
import type { EngineReply, EngineRequest } from './protocol';
import { selectBackend, type SelectedBackend } from './selectBackend';

declare const self: DedicatedWorkerGlobalScope;

let selected: Promise<SelectedBackend> | undefined;

async function handle(req: EngineRequest): Promise<EngineReply> {
  switch (req.type) {
    case 'probe': {
      selected ??= selectBackend(self.navigator.gpu);
      const { device, fallbackReason } = await selected;
      return { id: req.id, type: 'probe', ok: true, result: { device, fallbackReason } };
    }
    default:
      throw new Error(`engine worker: unknown request ${JSON.stringify(req)}`);
  }
}

self.onmessage = (ev: MessageEvent<EngineRequest>) => {
  const req = ev.data;
  handle(req).then(
    (reply) => self.postMessage(reply),
    (err: unknown) =>
      self.postMessage({ id: req.id, type: req.type, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
};
