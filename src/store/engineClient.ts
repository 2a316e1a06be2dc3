/**
 * The page's side of the engine worker: one module worker, requests matched to replies by id, run events fanned
 * out to listeners. A worker that fails to load or throws rejects every pending request instead of leaving it
 * hanging, and tells the listeners so the UI can offer a reset.
 */
import type { BackendName } from '../engine/backend';
import type { EngineMessage, ProbeResult, ResultOf, RunCommand, RunEvent } from '../worker/protocol';

type Pending = { resolve: (r: unknown) => void; reject: (e: Error) => void };

/** What the run store needs from an engine; the worker client is one, tests use an in-process host. */
export interface EnginePort {
  send<C extends RunCommand>(cmd: C): Promise<ResultOf[C['type']]>;
  /** Subscribe to run events; returns the unsubscribe function. */
  onEvent(listener: (e: RunEvent) => void): () => void;
}

export class EngineClient implements EnginePort {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: RunEvent) => void>();
  private readonly deviceListeners = new Set<(r: ProbeResult) => void>();
  private nextId = 1;

  constructor() {
    this.worker = new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' });
    this.worker.onmessage = (ev: MessageEvent<EngineMessage>) => {
      const msg = ev.data;
      if (msg.type === 'event') {
        for (const l of this.listeners) l(msg.event);
        return;
      }
      if (msg.type === 'device') {
        for (const l of this.deviceListeners) l(msg.result);
        return;
      }
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(msg.error));
    };
    this.worker.onerror = (ev: ErrorEvent) => this.failAll(`engine worker failed: ${ev.message || 'could not load'}`);
    this.worker.onmessageerror = () => this.failAll('engine worker sent a message that could not be decoded');
  }

  /** The backend in use and why; `override` first applies the user's pick (null: the measured choice). */
  probe(override?: BackendName | null): Promise<ProbeResult> {
    return this.request({ type: 'probe', override }) as Promise<ProbeResult>;
  }

  /** Subscribe to backends the worker selects on its own (a new model measured, a pick applied at a reset). */
  onDevice(listener: (r: ProbeResult) => void): () => void {
    this.deviceListeners.add(listener);
    return () => this.deviceListeners.delete(listener);
  }

  send<C extends RunCommand>(cmd: C): Promise<ResultOf[C['type']]> {
    // The weights buffer is transferred, not copied; the caller's array is emptied by this.
    const transfer = cmd.type === 'importCheckpoint' ? [cmd.checkpoint.weights.buffer] : [];
    return this.request(cmd, transfer) as Promise<ResultOf[C['type']]>;
  }

  onEvent(listener: (e: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private request(body: { type: string } & Record<string, unknown>, transfer: Transferable[] = []): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...body }, transfer);
    });
  }

  private failAll(message: string): void {
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
    for (const l of this.listeners) l({ kind: 'error', message, deviceLost: false });
  }
}

let client: EngineClient | undefined;

/** The app's single engine worker, started on first use. */
export function engineClient(): EngineClient {
  client ??= new EngineClient();
  return client;
}
