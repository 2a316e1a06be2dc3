/**
 * Saved runs for comparison: the list kept in the archive, which of them are overlaid, and run import/export.
 * Storage failures become a message; the list in memory (and the current run) is never dropped because of one.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RunArchive } from './runArchive';
import { parseRunFiles, type RunContent, type SavedRun } from './runFiles';

/** At most this many runs are overlaid: one colour each. */
export const MAX_OVERLAY = 5;

export interface NamedText {
  name: string;
  text: string;
}

export interface CompareState {
  runs: SavedRun[];
  /** Ids of the runs overlaid, in the order they were picked. */
  selected: string[];
  /** The last failure (storage or import), in words. */
  error: string | null;
  load(): Promise<void>;
  save(run: RunContent): Promise<SavedRun>;
  remove(id: string): Promise<void>;
  toggle(id: string): void;
  /** Import a run from its files (a .json config, a metrics .jsonl, optionally a rollouts .jsonl). */
  importFiles(files: readonly NamedText[]): Promise<SavedRun | null>;
  dismissError(): void;
}

let counter = 0;
const newId = () => `run-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;

/** Pick the config, metrics and rollouts files out of a selection by their names. */
export function pickRunFiles(files: readonly NamedText[]): { config: NamedText; metrics: NamedText; rollouts?: NamedText } {
  const config = files.find((f) => f.name.endsWith('.json'));
  const jsonl = files.filter((f) => f.name.endsWith('.jsonl'));
  const rollouts = jsonl.find((f) => /rollouts/i.test(f.name));
  const metrics = jsonl.find((f) => f !== rollouts);
  if (!config || !metrics) throw new Error('pick a run config (.json) and its metrics (.jsonl); the rollouts (.jsonl) are optional');
  return { config, metrics, rollouts };
}

export function createCompareStore(archive: RunArchive): StoreApi<CompareState> {
  return createStore<CompareState>()((set, get) => ({
    runs: [],
    selected: [],
    error: null,

    async load() {
      try {
        const stored = await archive.list();
        // Keep runs saved in memory before the archive answered (a failed put is still listed).
        const known = new Set(stored.map((r) => r.id));
        set({ runs: [...stored, ...get().runs.filter((r) => !known.has(r.id))] });
      } catch (e) {
        set({ error: `Saved runs could not be loaded: ${(e as Error).message}` });
      }
    },

    async save(content) {
      const run: SavedRun = { ...content, id: newId(), savedAt: Date.now() };
      set({ runs: [...get().runs, run] });
      try {
        await archive.put(run);
      } catch (e) {
        set({ error: `"${run.name}" is listed but could not be stored, so it will be gone after a reload: ${(e as Error).message}` });
      }
      return run;
    },

    async remove(id) {
      try {
        await archive.remove(id);
        set({ runs: get().runs.filter((r) => r.id !== id), selected: get().selected.filter((s) => s !== id) });
      } catch (e) {
        set({ error: `The run could not be deleted: ${(e as Error).message}` });
      }
    },

    toggle(id) {
      const { selected } = get();
      if (selected.includes(id)) set({ selected: selected.filter((s) => s !== id) });
      else if (selected.length < MAX_OVERLAY) set({ selected: [...selected, id] });
      else set({ error: `At most ${MAX_OVERLAY} runs can be overlaid; unselect one first.` });
    },

    async importFiles(files) {
      try {
        const picked = pickRunFiles(files);
        const name = picked.config.name.replace(/(\.run)?\.json$/, '');
        const content = parseRunFiles(name, { config: picked.config.text, metrics: picked.metrics.text, rollouts: picked.rollouts?.text });
        set({ error: null });
        return await get().save({ ...content, name: `${name} (imported)` });
      } catch (e) {
        set({ error: `Import failed, nothing was changed: ${(e as Error).message}` });
        return null;
      }
    },

    dismissError() {
      set({ error: null });
    },
  }));
}
