/** The run host on the CPU backend in-process: the real engine behind the same port the worker client offers. */
import { createCpuBackend } from '../../src/engine/backend/cpu';
import type { EnginePort } from '../../src/store/engineClient';
import type { RunEvent } from '../../src/worker/protocol';
import { RunHost, type RunHostOptions } from '../../src/worker/runHost';
import { RenewableBackend } from '../../src/worker/selectBackend';
import { TINY_RUN as SHARED_TINY_RUN } from '../tinyRun';

/** The shared tiny run with one more iteration, so a loop can be paused or reset mid-way. */
export const TINY_RUN = { ...SHARED_TINY_RUN, iterations: 3 };

export interface Harness extends EnginePort {
  host: RunHost;
  events: RunEvent[];
  /** How many backends were created (a reset after a run renews it). */
  backendsCreated(): number;
}

/** `options`: e.g. a probe that reports this backend as slow. */
export function cpuHarness(options: Partial<RunHostOptions> = {}): Harness {
  let created = 0;
  const backends = new RenewableBackend(async () => {
    created++;
    const backend = createCpuBackend();
    return { backend, device: backend.device };
  });
  const listeners = new Set<(e: RunEvent) => void>();
  const events: RunEvent[] = [];
  const host = new RunHost(
    backends,
    (e) => {
      events.push(e);
      for (const l of listeners) l(e);
    },
    { checkpointEveryMs: 15_000, ...options },
  );
  return {
    host,
    events,
    backendsCreated: () => created,
    send: (cmd) => host.handle(cmd),
    onEvent(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}
