/** The run host on the CPU backend in-process: the real engine behind the same port the worker client offers. */
import { createCpuBackend } from '../../src/engine/backend/cpu';
import type { EnginePort } from '../../src/store/engineClient';
import type { RunEvent } from '../../src/worker/protocol';
import { RunHost } from '../../src/worker/runHost';
import type { SelectedBackend } from '../../src/worker/selectBackend';

export const TINY_RUN = {
  task: 'addition',
  difficulty: { digits: 1 },
  seed: 3,
  model: { preset: 'tiny', nLayer: 1, nEmbd: 16, nHead: 2, contextLength: 16 },
  sft: { steps: 5, batch: 8, lr: 3e-3 },
  grpo: { num_generations: 4, prompts_per_step: 2, max_completion_length: 3 },
  iterations: 3,
  eval: { n: 8, every: 1 },
};

export interface Harness extends EnginePort {
  host: RunHost;
  events: RunEvent[];
  /** How many backends were created (a reset after a run renews it). */
  backendsCreated(): number;
}

export function cpuHarness(): Harness {
  let created = 0;
  let selected: Promise<SelectedBackend> | undefined;
  const select = async (): Promise<SelectedBackend> => {
    created++;
    const backend = createCpuBackend();
    return { backend, device: backend.device };
  };
  const backends = {
    current: () => (selected ??= select()),
    async renew() {
      if (selected) (await selected).backend.dispose();
      selected = undefined;
      return backends.current();
    },
  };
  const listeners = new Set<(e: RunEvent) => void>();
  const events: RunEvent[] = [];
  const host = new RunHost(backends, (e) => {
    events.push(e);
    for (const l of listeners) l(e);
  });
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
