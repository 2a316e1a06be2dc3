/**
 * The inspected rollout's token log-probs under the current policy, fetched from the engine when the inspector
 * colours by policy ratio. Every iteration brings new rollout records, so a new iteration refetches. Only the
 * latest request counts: a reply for a rollout the user has already moved away from is dropped.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RolloutRecord } from '../rl/grpo/trainer';
import type { CurrentLogprobs } from '../worker/protocol';
import type { EnginePort } from './engineClient';

export interface CurrentLogprobsState {
  /** The rollout the log-probs (or the error) belong to. */
  rollout: RolloutRecord | null;
  current: CurrentLogprobs | null;
  loading: boolean;
  error: string | null;
  load(rollout: RolloutRecord | null): Promise<void>;
}

export function createCurrentLogprobsStore(port: EnginePort): StoreApi<CurrentLogprobsState> {
  let latest = 0;
  return createStore<CurrentLogprobsState>()((set, get) => ({
    rollout: null,
    current: null,
    loading: false,
    error: null,
    async load(rollout) {
      if (rollout === get().rollout && (get().current || get().loading)) return;
      const ticket = ++latest;
      if (!rollout) {
        set({ rollout: null, current: null, loading: false, error: null });
        return;
      }
      set({ rollout, current: null, loading: true, error: null });
      try {
        const { prompt, tokens, actSeed, iteration } = rollout;
        const current = await port.send({ type: 'tokenLogprobs', sequence: { prompt, tokens, actSeed, iteration } });
        if (ticket === latest) set({ current, loading: false });
      } catch (e) {
        if (ticket === latest) set({ current: null, loading: false, error: (e as Error).message });
      }
    },
  }));
}
