/**
 * When the engine worker may change its backend: the user's pick and a new model's measurement apply at once
 * while the run is idle; a run with progress keeps its backend (nothing trained is lost) and the change
 * applies at its next reset, which renews the backend anyway. Kept apart from the worker file for tests.
 */
import type { BackendName } from '../engine/backend';
import type { RunConfig } from '../rl/runConfig';
import { backendLabel } from './backendChoice';
import type { ProbeResult, RunCommand, RunStatus } from './protocol';
import { PICKABLE, type BackendChooser, type SelectedBackend } from './selectBackend';

/** The part of the run host this needs: a reset that drops an untrained experiment (and its backend). */
interface Resettable {
  handle(cmd: Extract<RunCommand, { type: 'reset' }>): Promise<unknown>;
}

export function probeResult(selected: SelectedBackend, pending?: string): ProbeResult {
  return { device: selected.device, fallbackReason: selected.fallbackReason, choice: selected.choice!, pickable: [...PICKABLE], pending };
}

export class BackendSwitch {
  /** The run's status as last announced by the host. */
  status: RunStatus = 'idle';

  constructor(
    private readonly backends: BackendChooser,
    private readonly host: Resettable,
  ) {}

  /** The backend in use and why; `override` (when given) first applies the user's pick, null for the measurement. */
  async probe(override?: BackendName | null): Promise<ProbeResult> {
    // A stored name this build does not know (or a hand-edited one) means the measured choice.
    if (override !== undefined) this.backends.setOverride(override && PICKABLE.includes(override) ? override : null);
    let selected = await this.backends.current();
    if (this.backends.isStale()) {
      if (this.status !== 'idle') {
        const pick = override ? backendLabel({ backend: override }) : 'the measured choice';
        const current = backendLabel({ backend: selected.backend.name, device: selected.device });
        return probeResult(selected, `${pick} applies when this run is reset: its progress stays on ${current}`);
      }
      // An untrained experiment may still hold the old backend: drop it first (a reset renews it if so).
      await this.host.handle({ type: 'reset' });
      selected = this.backends.isStale() ? await this.backends.renew() : await this.backends.current();
    }
    return probeResult(selected);
  }

  /** A new run config (after configure or a checkpoint import): measure again at once if it could change the answer. */
  runChanged(run: RunConfig): void {
    this.backends.setRun(run);
    if (this.status === 'idle' && this.backends.isStale()) void this.backends.renew();
  }
}
