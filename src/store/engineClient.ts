/**
 * The page's side of the engine worker: one module worker, requests matched to replies by id, run events fanned
 * out to listeners. A worker that fails to load rejects every pending request instead of leaving it hanging, and
 * tells the listeners so the UI can offer a reset; one that dies after working is replaced by a fresh one.
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
  private worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: RunEvent) => void>();
  private readonly deviceListeners = new Set<(r: ProbeResult) => void>();
  private nextId = 1;
  /** The current worker has answered at least once (so it loaded; a later failure is a crash, not a bad build). */
  private answered = false;

  constructor(private readonly spawn: () => Worker = () => new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' })) {
    this.worker = this.start();
  }

  private start(): Worker {
    const worker = this.spawn();
    this.answered = false;
    worker.onmessage = (ev: MessageEvent<EngineMessage>) => {
      this.answered = true;
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
    worker.onerror = (ev: ErrorEvent) => this.died(`engine worker failed: ${ev.message || 'could not load'}`);
    worker.onmessageerror = () => this.failAll('engine worker sent a message that could not be decoded');
    return worker;
  }

  /**
   * The worker threw past every handler (e.g. out of memory). One that never answered could not load, and a new
   * one would fail the same way; one that worked is replaced, and the page is told its run is gone with it.
   */
  private died(message: string): void {
    if (!this.answered) return this.failAll(message);
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
    this.worker = this.start();
    for (const l of this.listeners) l({ kind: 'restarted', message: `${message}. The engine was restarted; the run in it is gone.` });
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
