/**
 * Progressive rendering of a new iteration. The worker's message commits only what must be instant (status,
 * progress); the panels inside a DeferredRun take the new run data afterwards, in a React transition of their own,
 * which renders in slices of a few milliseconds and yields to the browser between them. A DeferredRun nested in
 * another one takes the data after the outer one has committed, so the curves, the per-rollout views and the
 * model/judge views each render, commit and lay out in tasks of their own: a new iteration never holds the main
 * thread in one long task. The selection travels with the data, so every panel shows one consistent iteration.
 */
import { startTransition, useEffect, useState, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { DeferredRunData, RUN_DATA_KEYS, useRun, type RunDataView } from '../store/appStore';

const pick = (s: RunDataView): RunDataView => Object.fromEntries(RUN_DATA_KEYS.map((k) => [k, s[k]])) as RunDataView;

export function DeferredRun({ children }: { children: ReactNode }) {
  // The run data as the enclosing DeferredRun shows it (the live store at the top level), taken up one commit later.
  const data = useRun(useShallow(pick));
  const [shown, setShown] = useState(data);
  useEffect(() => startTransition(() => setShown(data)), [data]);
  return <DeferredRunData value={shown}>{children}</DeferredRunData>;
}
