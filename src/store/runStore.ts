/**
 * The playground's run state: the settings being edited (draft), the settings the engine runs (applied), the
 * run's progress and histories, and the selection in the group view / rollout inspector. Commands go to an
 * EnginePort; failures become a visible notice and never drop the user's settings or the run's history.
 *
 * Settings rule: while nothing has trained (status idle), a valid edit is applied at once. Once a run has
 * progress, edits wait as "pending" until the user applies them, which starts a new run — so a stray click never
 * throws away a training run.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RunConfig } from '../rl/runConfig';
import type { StepValue } from '../rl/judges/stepwiser';
import type { CheckpointBytes, RunCheckpoint, StepValuesRequest, VerifiedOnnx } from '../worker/protocol';
import { hasProblems, problemsBySection, setIn, type Section } from './configEdit';
import type { EnginePort } from './engineClient';
import { EMPTY_RUN, reduceRunEvent, rewindTo, type RunData } from './runReducer';
import { decodeHash, encodeHash } from './urlState';

export interface Selection {
  group: number;
  /** Index into the latest iteration's rollouts. */
  rollout: number;
}

export interface RunStoreState extends RunData {
  draft: RunConfig;
  applied: RunConfig;
  problems: Record<Section, string[]>;
  /** The draft differs from the applied config and waits for applyDraft(). */
  pending: boolean;
  embed: boolean;
  /** Why the URL's settings were not used. */
  hashError: string | null;
  /** The last command that failed, in words. */
  notice: string | null;
  busyCommand: string | null;
  presetId: string | null;
  selection: Selection;
  /** Training pace: the shortest time one iteration takes on screen, in ms (0: full speed). */
  paceMs: number;
  /** The resource guard found the run slow here: its ETA, and the command waiting for the person's yes. */
  slowRun: { message: string; command: GuardedCommand } | null;
}

/** The commands that start a run's work, which the resource guard checks first. */
export type GuardedCommand = 'warmStart' | 'train' | 'step';

export interface RunActions {
  /** Read the URL hash, connect to the engine and configure it; call once. */
  init(hash: string): Promise<void>;
  /** The user edited the hash by hand (or followed a link): load its settings like a preset. */
  loadHash(hash: string): void;
  edit(path: string, value: unknown): void;
  setDraft(config: RunConfig, presetId?: string | null): void;
  applyDraft(): Promise<void>;
  discardDraft(): void;
  warmStart(): Promise<void>;
  train(): Promise<void>;
  /** Start the command the slowness warning held back, or drop it. */
  confirmSlowRun(): Promise<void>;
  cancelSlowRun(): void;
  pause(): Promise<void>;
  step(): Promise<void>;
  reset(): Promise<void>;
  setPace(ms: number): Promise<void>;
  /** After a device loss: continue from the run's last checkpoint on a fresh device. */
  resume(): Promise<void>;
  /** A run kept for reload: the engine continues from its checkpoint, the page shows what it showed then. */
  restore(config: RunConfig, checkpoint: RunCheckpoint, view: Partial<RunData>): Promise<boolean>;
  exportCheckpoint(): Promise<CheckpointBytes | null>;
  /** The policy as ONNX, verified in onnxruntime-web against the engine. */
  exportOnnx(): Promise<VerifiedOnnx | null>;
  /** The trained judge of a j1 or onpolicy-rm run as ONNX. */
  exportJudgeOnnx(): Promise<VerifiedOnnx | null>;
  /** StepWiser step values of a multi-step rollout under the current policy. */
  stepValues(rollout: StepValuesRequest): Promise<StepValue[] | null>;
  importCheckpoint(files: CheckpointBytes): Promise<void>;
  select(sel: Partial<Selection>): void;
  dismissNotice(): void;
}

export type RunStore = RunStoreState & RunActions;

export interface UrlSink {
  /** Replace the hash without adding a history entry. */
  write(hash: string): void;
}

const same = (a: RunConfig, b: RunConfig) => JSON.stringify(a) === JSON.stringify(b);

export function createRunStore(port: EnginePort, url: UrlSink, initial: RunConfig): StoreApi<RunStore> {
  return createStore<RunStore>()((set, get) => {
    /** Send a command; a rejection becomes the notice. Returns null on failure. */
    async function command<T>(name: string, run: () => Promise<T>): Promise<T | null> {
      set({ busyCommand: name, notice: null });
      try {
        return await run();
      } catch (e) {
        set({ notice: `${name} failed: ${(e as Error).message}` });
        return null;
      } finally {
        if (get().busyCommand === name) set({ busyCommand: null });
      }
    }

    /** A command whose reply carries nothing: did it succeed? */
    async function succeeded(name: string, run: () => Promise<unknown>): Promise<boolean> {
      return (await command(name, async () => (await run(), true))) === true;
    }

    /**
     * The engine now runs `config` (normalised by the worker). The draft follows only when it is still what was
     * sent, so an edit typed while the reply was on its way is kept.
     */
    function applyConfigured(sent: RunConfig | null, config: RunConfig) {
      const follow = sent === null || same(get().draft, sent);
      const draft = follow ? config : get().draft;
      set({ applied: config, draft, pending: !same(draft, config) && !hasProblems(get().problems) && get().status !== 'idle', selection: { group: 0, rollout: 0 } });
      if (follow) set({ problems: problemsBySection(config) });
      // Edits wrote the URL already; only settings that came from elsewhere (a checkpoint) are written here, so a
      // link the user opened stays in the address bar, even a broken one, until they change something.
      if (sent === null) url.write(encodeHash(config, get().embed));
    }

    async function configure(config: RunConfig) {
      const r = await command('Apply settings', () => port.send({ type: 'configure', config: JSON.stringify(config) }));
      if (r) applyConfigured(config, r.config);
    }

    const LABEL: Record<GuardedCommand, string> = { warmStart: 'Warm-start', train: 'Train', step: 'Step' };

    /**
     * Before a run's first work: ask the engine's resource guard. A run that cannot fit is explained and not
     * started; a slow one waits for the person's confirmation.
     */
    async function guarded(type: GuardedCommand, confirmed = false) {
      const fresh = get().iteration === 0 && !confirmed;
      if (fresh) {
        const check = await command(LABEL[type], () => port.send({ type: 'checkResources' }));
        if (!check) return;
        if (check.refusal) return set({ notice: `${LABEL[type]} refused: ${check.refusal}` });
        if (check.slow) return set({ slowRun: { message: check.slow, command: type } });
      }
      await command(LABEL[type], () => port.send({ type, confirmed }));
    }

    function afterDraftChange(draft: RunConfig, presetId: string | null) {
      const problems = problemsBySection(draft);
      const valid = !hasProblems(problems);
      const changed = !same(draft, get().applied);
      set({ draft, problems, presetId, pending: valid && changed && get().status !== 'idle' });
      if (!valid) return;
      url.write(encodeHash(draft, get().embed));
      if (changed && get().status === 'idle') void configure(draft);
    }

    return {
      ...EMPTY_RUN,
      draft: initial,
      applied: initial,
      problems: problemsBySection(initial),
      pending: false,
      embed: false,
      hashError: null,
      notice: null,
      busyCommand: null,
      presetId: null,
      selection: { group: 0, rollout: 0 },
      paceMs: 0,
      slowRun: null,

      async init(hash) {
        const h = decodeHash(hash);
        set({ embed: h.embed, hashError: h.error, draft: h.config, applied: h.config, problems: problemsBySection(h.config), presetId: h.presetId });
        port.onEvent((e) => {
          // A fresh engine runs the defaults: give it the settings on screen again.
          if (e.kind === 'restarted') void configure(get().applied);
          const patch = reduceRunEvent(get(), e);
          // New rollouts: keep the selected group when it still exists, else go back to the first.
          if (patch.rollouts) {
            const groups = new Set(patch.rollouts.map((r) => r.group));
            const group = groups.has(get().selection.group) ? get().selection.group : 0;
            const rollout = Math.max(0, patch.rollouts.findIndex((r) => r.group === group));
            set({ ...patch, selection: { group, rollout } });
          } else set(patch);
        });
        await configure(h.config);
      },

      loadHash(hash) {
        const h = decodeHash(hash);
        set({ embed: h.embed, hashError: h.error });
        if (!h.error && !same(h.config, get().draft)) afterDraftChange(h.config, null);
      },

      edit(path, value) {
        afterDraftChange(setIn(get().draft, path, value), null);
      },

      setDraft(config, presetId = null) {
        afterDraftChange(config, presetId);
      },

      async applyDraft() {
        if (hasProblems(get().problems)) return;
        await configure(get().draft);
      },

      discardDraft() {
        const { applied } = get();
        set({ draft: applied, problems: problemsBySection(applied), pending: false });
        url.write(encodeHash(applied, get().embed));
      },

      async warmStart() {
        await guarded('warmStart');
      },
      async train() {
        await guarded('train');
      },
      async confirmSlowRun() {
        const held = get().slowRun;
        set({ slowRun: null });
        if (held) await guarded(held.command, true);
      },
      cancelSlowRun() {
        set({ slowRun: null });
      },
      async pause() {
        await command('Pause', () => port.send({ type: 'pause' }));
      },
      async step() {
        await guarded('step');
      },
      async reset() {
        const ok = await succeeded('Reset', () => port.send({ type: 'reset' }));
        // A reset is also the moment to pick up settings that were waiting for the run to end.
        if (ok && get().pending) await configure(get().draft);
      },
      async setPace(ms) {
        if (await succeeded('Set speed', () => port.send({ type: 'setPace', minIterationMs: ms }))) set({ paceMs: ms });
      },
      async resume() {
        const from = get().error?.resumeFrom;
        const ok = await succeeded('Resume', () => port.send({ type: 'resume' }));
        if (ok && from != null) set(rewindTo(get(), from));
      },
      async restore(config, checkpoint, view) {
        const r = await command('Resume run', () => port.send({ type: 'restore', config: JSON.stringify(config), checkpoint }));
        if (!r) return false;
        applyConfigured(null, r.config);
        set({ ...view, iteration: checkpoint.iteration, sftDone: checkpoint.sftDone, error: null });
        return true;
      },
      async exportCheckpoint() {
        return command('Export checkpoint', () => port.send({ type: 'exportCheckpoint' }));
      },
      async exportOnnx() {
        return command('Export ONNX', () => port.send({ type: 'exportOnnx' }));
      },
      async exportJudgeOnnx() {
        return command('Export judge', () => port.send({ type: 'exportJudgeOnnx' }));
      },
      async stepValues(rollout) {
        return command('Step values', () => port.send({ type: 'stepValues', rollout }));
      },
      async importCheckpoint(files) {
        const r = await command('Import checkpoint', () => port.send({ type: 'importCheckpoint', checkpoint: files }));
        if (r) applyConfigured(null, r.config);
      },

      select(sel) {
        const { selection, rollouts } = get();
        const next = { ...selection, ...sel };
        // Picking a group moves the inspector to that group's first rollout.
        if (sel.group !== undefined && sel.rollout === undefined) next.rollout = Math.max(0, rollouts.findIndex((r) => r.group === sel.group));
        set({ selection: next });
      },

      dismissNotice() {
        set({ notice: null });
      },
    };
  });
}
