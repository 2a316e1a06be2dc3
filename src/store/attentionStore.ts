/**
 * Attention maps of the rollout the user inspects, fetched from the engine on demand. Only the latest request
 * counts: a reply for a rollout the user has already moved away from is dropped.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RolloutRecord } from '../rl/grpo/trainer';
import type { AttentionMaps } from '../worker/protocol';
import type { EnginePort } from './engineClient';

export interface AttentionState {
  /** The rollout the maps (or the error) belong to. */
  rollout: RolloutRecord | null;
  maps: AttentionMaps | null;
  loading: boolean;
  error: string | null;
  load(rollout: RolloutRecord | null): Promise<void>;
}

export function createAttentionStore(port: EnginePort): StoreApi<AttentionState> {
  let latest = 0;
  return createStore<AttentionState>()((set, get) => ({
    rollout: null,
    maps: null,
    loading: false,
    error: null,
    async load(rollout) {
      if (rollout === get().rollout && (get().maps || get().loading)) return;
      const ticket = ++latest;
      if (!rollout) {
        set({ rollout: null, maps: null, loading: false, error: null });
        return;
      }
      set({ rollout, loading: true, error: null });
      try {
        const maps = await port.send({ type: 'attention', sequence: { prompt: rollout.prompt, tokens: rollout.tokens, actSeed: rollout.actSeed, iteration: rollout.iteration } });
        if (ticket === latest) set({ maps, loading: false });
      } catch (e) {
        if (ticket === latest) set({ maps: null, loading: false, error: (e as Error).message });
      }
    },
  }));
}
