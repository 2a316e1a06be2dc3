/**
 * Which backend the engine worker trains on and why; drives the header's device badge. The worker picks the
 * fastest backend by measurement; the user's override is kept in localStorage and sent with every probe.
 */
import { create } from 'zustand';
import type { BackendName } from '../engine/backend';
import type { ProbeResult } from '../worker/protocol';

export type DeviceState =
  | { status: 'idle' }
  | { status: 'probing' }
  | ({ status: 'ready' } & ProbeResult)
  | { status: 'error'; error: string };

export const BACKEND_KEY = 'grpo-playground.backend';

/** Asks the engine for its backend, applying the user's pick first (null: the measured choice). */
export type ProbeEngine = (override: BackendName | null) => Promise<ProbeResult>;

export interface DeviceStore {
  state: DeviceState;
  /** The user's pick, or null to let the measurement decide. */
  override: BackendName | null;
  /** Ask the engine for its backend; a probe already running or finished is not repeated. */
  probe(run: ProbeEngine): Promise<void>;
  /** Keep the user's pick (null: back to the measured choice) and have the engine apply it. */
  setOverride(override: BackendName | null, run: ProbeEngine): Promise<void>;
  /** The engine selected a backend again on its own (a new model was measured, or a reset applied the pick). */
  update(result: ProbeResult): void;
}

/** localStorage, or null where it is missing (Node tests) or merely touching it throws (storage disabled). */
function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function storedOverride(): BackendName | null {
  // The worker checks the name against the backends it has; anything unknown means the measured choice there.
  return (storage()?.getItem(BACKEND_KEY) as BackendName | null | undefined) ?? null;
}

export const useDeviceStore = create<DeviceStore>()((set, get) => {
  async function ask(run: ProbeEngine): Promise<void> {
    set({ state: { status: 'probing' } });
    try {
      set({ state: { status: 'ready', ...(await run(get().override)) } });
    } catch (err) {
      set({ state: { status: 'error', error: err instanceof Error ? err.message : String(err) } });
    }
  }
  return {
    state: { status: 'idle' },
    override: storedOverride(),
    async probe(run) {
      if (get().state.status !== 'idle') return;
      await ask(run);
    },
    async setOverride(override, run) {
      set({ override });
      try {
        if (override) storage()?.setItem(BACKEND_KEY, override);
        else storage()?.removeItem(BACKEND_KEY);
      } catch {
        // Blocked or full storage: the pick still holds for this visit.
      }
      await ask(run);
    },
    update(result) {
      set({ state: { status: 'ready', ...result } });
    },
  };
});
