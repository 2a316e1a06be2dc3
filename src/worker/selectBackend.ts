/**
 * The engine worker's backend, picked by measurement: every candidate is created and timed on a short training
 * step of the current model (probeStep.ts) and the fastest trains (backendChoice.ts). The user can override the
 * pick; a new model that is different enough to change the answer is measured again. The plain-TypeScript
 * oracle trains only when no candidate comes up, or when the user picks it.
 */
import type { Backend, BackendName } from '../engine/backend';
import { createCpuBackend } from '../engine/backend/cpu';
import { createWasmBackend } from '../engine/backend/wasm';
import { createWebGpuBackend } from '../engine/backend/webgpu';
import { runModelConfig, type RunConfig } from '../rl/runConfig';
import { chooseBackend, needsRemeasure, stepWork, type BackendChoice, type BackendTiming } from './backendChoice';
import { probeBatch, timeTrainingStep } from './probeStep';
import type { ProbeResult } from './protocol';

export interface SelectedBackend extends Omit<ProbeResult, 'choice' | 'pickable'> {
  backend: Backend;
  /** How it was chosen (absent for a fixed backend, e.g. in tests). */
  choice?: BackendChoice;
}

interface Candidate {
  name: BackendName;
  create(gpu: GPU | undefined | null): Promise<Backend>;
}

/**
 * The backends raced at start-up, timed in this order (the CPU first: it sets the bar early, and a slow adapter
 * stops after one timed step). The CPU slot is the fast CPU path (WebAssembly SIMD); the oracle is only a fallback.
 */
export const CANDIDATES: readonly Candidate[] = [
  { name: 'wasm', create: () => createWasmBackend() },
  { name: 'webgpu', create: (gpu) => createWebGpuBackend(gpu) },
];

/** A candidate whose timed step is this many times the best so far stops timing: a second step cannot save it. */
const HOPELESS_RATIO = 2;

/** The plain-TypeScript oracle: trains when no candidate comes up, or when the user picks it. */
const ORACLE: Candidate = { name: 'cpu', create: async () => createCpuBackend() };

/** Every backend the user can pick, in the order the badge lists them. */
export const PICKABLE: readonly BackendName[] = [...new Set([...CANDIDATES, ORACLE].map((c) => c.name))];

function candidate(name: BackendName): Candidate {
  return [...CANDIDATES, ORACLE].find((c) => c.name === name)!;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Create and time each candidate on `run`, one after the other (they share the CPU), disposing each after. */
export async function measureCandidates(gpu: GPU | undefined | null, run: RunConfig): Promise<BackendTiming[]> {
  const timings: BackendTiming[] = [];
  for (const c of CANDIDATES) {
    let be: Backend | undefined;
    try {
      be = await c.create(gpu);
      const best = Math.min(...timings.map((t) => t.ms ?? Infinity));
      timings.push({ backend: c.name, device: be.device, ms: await timeTrainingStep(be, run, HOPELESS_RATIO * best) });
    } catch (e) {
      timings.push({ backend: c.name, device: be?.device, ms: null, error: message(e) });
    } finally {
      be?.dispose();
    }
  }
  if (timings.every((t) => t.error) && !timings.some((t) => t.backend === ORACLE.name)) timings.push({ backend: ORACLE.name, ms: null });
  return timings;
}

/** Where WebGPU could not be used, why (the badge's "WebGPU unavailable" line). */
function webGpuFailure(timings: readonly BackendTiming[]): string | undefined {
  return timings.find((t) => t.backend === 'webgpu')?.error;
}

export interface ChooserOptions {
  /** How long the first selection waits for the page's run config before measuring the initial one (ms). */
  waitForRunMs?: number;
  /** Times the candidates (tests pass made-up timings; never asserted as speeds). */
  measure?: typeof measureCandidates;
}

/**
 * The measured choice as a BackendSource for the run host: `current` selects on first need, `renew` disposes the
 * backend and selects again (reusing the last measurement while it still holds). `onSelect` sees each new
 * selection, e.g. to watch it for device loss and to tell the page.
 */
export class BackendChooser {
  private readonly renewable: RenewableBackend;
  private override: BackendName | null = null;
  private run: RunConfig;
  /** The last measurement and the work it was taken at. */
  private measured: { timings: BackendTiming[]; work: number; choice: BackendChoice } | null = null;
  /** The selection in use once it has settled. */
  private active: SelectedBackend | null = null;
  private readonly runKnown: Promise<void>;
  private markRunKnown!: () => void;

  constructor(
    private readonly gpu: GPU | undefined | null,
    initialRun: RunConfig,
    onSelect: (choice: Promise<SelectedBackend>) => void = () => {},
    private readonly options: ChooserOptions = {},
  ) {
    this.run = initialRun;
    const known = new Promise<void>((resolve) => (this.markRunKnown = resolve));
    const patience = new Promise<void>((resolve) => setTimeout(resolve, options.waitForRunMs ?? 3000));
    this.runKnown = Promise.race([known, patience]);
    this.renewable = new RenewableBackend(() => this.select(), onSelect);
  }

  current(): Promise<SelectedBackend> {
    return this.renewable.current();
  }

  renew(): Promise<SelectedBackend> {
    return this.renewable.renew();
  }

  isCurrent(choice: Promise<SelectedBackend>): boolean {
    return this.renewable.isCurrent(choice);
  }

  /** The run the choice is for (its model and batch set the measured step). */
  setRun(run: RunConfig): void {
    this.run = run;
    this.markRunKnown();
  }

  /** The user's pick, or null for the measured choice. Takes effect at the next selection. */
  setOverride(name: BackendName | null): void {
    this.override = name;
  }

  /**
   * Whether the settled selection is not what one made now would be: the override changed, or the model changed
   * enough to need a new measurement. Measures nothing; false while a selection is under way (it ends current).
   */
  isStale(): boolean {
    const choice = this.active?.choice;
    if (!choice) return false;
    if (this.override) return !(choice.by === 'override' && choice.chosen === this.override) && !this.overrideUnavailable();
    if (choice.by === 'override') return true;
    return this.measured === null || needsRemeasure(this.measured.choice, this.work());
  }

  /** The override named a backend that the last measurement could not create. */
  private overrideUnavailable(): boolean {
    return Boolean(this.measured?.timings.some((t) => t.backend === this.override && t.error));
  }

  private work(): number {
    return stepWork(runModelConfig(this.run), probeBatch(this.run));
  }

  private async select(): Promise<SelectedBackend> {
    this.active = null;
    await this.runKnown;
    const override = this.override;
    if (override && !this.overrideUnavailable()) {
      try {
        const backend = await candidate(override).create(this.gpu);
        // With a measurement at hand the badge can still say how the pick compares.
        const measured = this.measured?.timings.some((t) => t.backend === override && !t.error) ? this.measured.timings : null;
        const choice = chooseBackend(measured ?? [{ backend: override, device: backend.device, ms: null }], override, this.work());
        return this.settle({ backend, device: backend.device, choice });
      } catch (e) {
        // Recorded as a failed timing so the choice explains it; the measured backend trains instead.
        this.measured = null;
        await this.measure([{ backend: override, ms: null, error: message(e) }]);
      }
    }
    // Settings may change while a measurement runs (the page's config arrives): measure until they hold still.
    while (!this.measured || needsRemeasure(this.measured.choice, this.work())) await this.measure([]);
    const choice = chooseBackend(this.measured.timings, this.override, this.measured.work);
    const backend = await candidate(choice.chosen).create(this.gpu);
    return this.settle({ backend, device: backend.device, choice, fallbackReason: backend.name === 'webgpu' ? undefined : webGpuFailure(choice.timings) });
  }

  private async measure(failedOverride: BackendTiming[]): Promise<void> {
    const work = this.work();
    const timings = [...(await (this.options.measure ?? measureCandidates)(this.gpu, this.run)), ...failedOverride];
    this.measured = { timings, work, choice: chooseBackend(timings, null, work) };
  }

  private settle(selected: SelectedBackend): SelectedBackend {
    this.active = selected;
    return selected;
  }
}

/**
 * A backend selected on first need; `renew` disposes it and selects a fresh one (after a reset, or a lost
 * device). `onSelect` sees each new selection.
 */
export class RenewableBackend {
  private selected: Promise<SelectedBackend> | undefined;

  constructor(
    private readonly select: () => Promise<SelectedBackend>,
    private readonly onSelect: (choice: Promise<SelectedBackend>) => void = () => {},
  ) {}

  current(): Promise<SelectedBackend> {
    if (!this.selected) {
      this.selected = this.select();
      this.onSelect(this.selected);
    }
    return this.selected;
  }

  /** Whether `choice` is still the backend in use (not yet replaced by a renew). */
  isCurrent(choice: Promise<SelectedBackend>): boolean {
    return this.selected === choice;
  }

  async renew(): Promise<SelectedBackend> {
    const old = this.selected;
    this.selected = undefined;
    if (old) {
      try {
        (await old).backend.dispose();
      } catch {
        // A lost device can fail to dispose; the fresh backend replaces it either way.
      }
    }
    return this.current();
  }
}
