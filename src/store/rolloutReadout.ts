/**
 * A read-out of the inspected rollout that the engine computes on demand under the current policy (attention
 * maps, token log-probs). One fetch per rollout record (every iteration brings new records, so a new iteration
 * refetches); only the latest request counts, so a reply for a rollout the user has moved away from is dropped.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RolloutRecord } from '../rl/trainer';
import type { AttentionRequest, AttentionMaps, CurrentLogprobs } from '../worker/protocol';
import type { EnginePort } from './engineClient';

export interface RolloutReadout<T> {
  /** The rollout the data (or the error) belong to. */
  rollout: RolloutRecord | null;
  data: T | null;
  loading: boolean;
  error: string | null;
  load(rollout: RolloutRecord | null): Promise<void>;
}

export function createRolloutReadout<T>(fetch: (rollout: RolloutRecord) => Promise<T>): StoreApi<RolloutReadout<T>> {
  let latest = 0;
  return createStore<RolloutReadout<T>>()((set, get) => ({
    rollout: null,
    data: null,
    loading: false,
    error: null,
    async load(rollout) {
      if (rollout === get().rollout && (get().data || get().loading)) return;
      const ticket = ++latest;
      if (!rollout) {
        set({ rollout: null, data: null, loading: false, error: null });
        return;
      }
      set({ rollout, data: null, loading: true, error: null });
      try {
        const data = await fetch(rollout);
        if (ticket === latest) set({ data, loading: false });
      } catch (e) {
        if (ticket === latest) set({ data: null, loading: false, error: (e as Error).message });
      }
    },
  }));
}

/** The sequence the engine replays: prompt, completion, activation seed and the iteration that sampled it. */
const sequenceOf = ({ prompt, tokens, actSeed, iteration }: RolloutRecord): AttentionRequest => ({ prompt, tokens, actSeed, iteration });

export const createAttentionStore = (port: EnginePort): StoreApi<RolloutReadout<AttentionMaps>> =>
  createRolloutReadout((r) => port.send({ type: 'attention', sequence: sequenceOf(r) }));

export const createCurrentLogprobsStore = (port: EnginePort): StoreApi<RolloutReadout<CurrentLogprobs>> =>
  createRolloutReadout((r) => port.send({ type: 'tokenLogprobs', sequence: sequenceOf(r) }));
