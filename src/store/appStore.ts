/** The app's run store, wired to the engine worker and the page URL, and the React hook to read it. */
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { DEFAULT_RUN } from '../rl/runConfig';
import { engineClient } from './engineClient';
import { createRunStore, type RunStore } from './runStore';

let store: StoreApi<RunStore> | undefined;

export function runStore(): StoreApi<RunStore> {
  store ??= createRunStore(engineClient(), { write: (hash) => history.replaceState(null, '', hash) }, DEFAULT_RUN);
  return store;
}

/** Subscribe a component to one slice; keep selectors narrow so live updates re-render only what changed. */
export function useRun<T>(selector: (s: RunStore) => T): T {
  return useStore(runStore(), selector);
}
