/** The worker client with stand-in workers: a worker that dies after working is replaced; one that never loaded is not. */
import { describe, expect, it } from 'vitest';
import { EngineClient } from '../../src/store/engineClient';
import type { EngineMessage, RunEvent } from '../../src/worker/protocol';

class FakeWorker {
  onmessage: ((ev: MessageEvent<EngineMessage>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  terminated = false;
  posted: Array<{ id: number; type: string }> = [];
  postMessage(msg: { id: number; type: string }) {
    this.posted.push(msg);
  }
  terminate() {
    this.terminated = true;
  }
  answer(id: number, result: unknown) {
    this.onmessage?.({ data: { id, type: 'probe', ok: true, result } } as MessageEvent<EngineMessage>);
  }
  crash(message: string) {
    this.onerror?.({ message } as ErrorEvent);
  }
}

function client() {
  const workers: FakeWorker[] = [];
  const c = new EngineClient(() => {
    const w = new FakeWorker();
    workers.push(w);
    return w as unknown as Worker;
  });
  const events: RunEvent[] = [];
  c.onEvent((e) => events.push(e));
  return { c, workers, events };
}

describe('EngineClient', () => {
  it('replaces a worker that dies after answering, rejects what was pending, and says the run is gone', async () => {
    const { c, workers, events } = client();
    const probe = c.probe();
    workers[0].answer(workers[0].posted[0].id, { device: 'cpu' });
    await probe;
    const pending = c.send({ type: 'train' });
    workers[0].crash('Out of memory');
    await expect(pending).rejects.toThrow('engine worker failed: Out of memory');
    expect(workers).toHaveLength(2);
    expect(workers[0].terminated).toBe(true);
    expect(events).toEqual([{ kind: 'restarted', message: 'engine worker failed: Out of memory. The engine was restarted; the run in it is gone.' }]);
    // The fresh worker takes the next request.
    void c.send({ type: 'reset' });
    expect(workers[1].posted.map((m) => m.type)).toEqual(['reset']);
  });

  it('does not restart a worker that never loaded: every request fails with the reason', async () => {
    const { c, workers, events } = client();
    const probe = c.probe();
    workers[0].crash('');
    await expect(probe).rejects.toThrow('engine worker failed: could not load');
    expect(workers).toHaveLength(1);
    expect(events).toEqual([{ kind: 'error', message: 'engine worker failed: could not load', deviceLost: false }]);
  });
});
