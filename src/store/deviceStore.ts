/** Which compute device the engine worker ended up on; drives the header's device badge. */
import { create } from 'zustand';
import type { DeviceInfo } from '../engine/backend';
import type { ProbeResult } from '../worker/protocol';

export type DeviceState =
  | { status: 'idle' }
  | { status: 'probing' }
  | { status: 'ready'; device: DeviceInfo; fallbackReason?: string }
  | { status: 'error'; error: string };

export interface DeviceStore {
  state: DeviceState;
  /** Ask the engine for its backend; a probe already running or finished is not repeated. */
  probe(run: () => Promise<ProbeResult>): Promise<void>;
}

export const useDeviceStore = create<DeviceStore>()((set, get) => ({
  state: { status: 'idle' },
  async probe(run) {
    if (get().state.status !== 'idle') return;
    set({ state: { status: 'probing' } });
    try {
      const { device, fallbackReason } = await run();
      set({ state: { status: 'ready', device, fallbackReason } });
    } catch (err) {
      set({ state: { status: 'error', error: err instanceof Error ? err.message : String(err) } });
    }
  },
}));
