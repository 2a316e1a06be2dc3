/**
 * The page's side of the engine worker: one module worker, requests matched to replies by id.
 * A worker that fails to load or throws rejects every pending request instead of leaving it hanging.
 */
import type { EngineReply, ProbeResult } from '../worker/protocol';

type Pending = { resolve: (r: ProbeResult) => void; reject: (e: Error) => void };

export class EngineClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor() {
    this.worker = new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' });
    this.worker.onmessage = (ev: MessageEvent<EngineReply>) => {
      const reply = ev.data;
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new Error(reply.error));
    };
    this.worker.onerror = (ev: ErrorEvent) => this.failAll(`engine worker failed: ${ev.message || 'could not load'}`);
    this.worker.onmessageerror = () => this.failAll('engine worker sent a message that could not be decoded');
  }

  probe(): Promise<ProbeResult> {
    const id = this.nextId++;
    return new Promise<ProbeResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, type: 'probe' });
    });
  }

  private failAll(message: string): void {
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
  }
}

let client: EngineClient | undefined;

/** The app's single engine worker, started on first use. */
export function engineClient(): EngineClient {
  client ??= new EngineClient();
  return client;
}
