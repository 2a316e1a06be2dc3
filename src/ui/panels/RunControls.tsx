/** Warm-start, train/pause, single step, reset; progress with the SFT ETA; checkpoint export/import. */
import { ALGORITHM_INFO } from '../../rl/runConfig';
import { grpoEtaMs, sftEtaMs } from '../../store/runReducer';
import { runStore, useRun } from '../../store/appStore';
import { CheckpointButtons } from './CheckpointButtons';
import { StorageReadout } from '../DurableRun';
import { STATUS_WORD } from '../progressText';

function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

function SftProgressBar() {
  const sft = useRun((s) => s.sft);
  const status = useRun((s) => s.status);
  if (!sft) return null;
  const last = sft.loss[sft.loss.length - 1];
  return (
    <div className="progress-row">
      <label>
        SFT warm-start {sft.step}/{sft.total}
        <progress max={sft.total} value={sft.step} aria-label="SFT progress" />
      </label>
      <span className="mono">
        loss {last.toFixed(3)}
        {status === 'warming' ? ` · ETA ${formatMs(sftEtaMs(sft))}` : ` · took ${formatMs(sft.elapsedMs)}`}
      </span>
    </div>
  );
}

function IterationProgress() {
  const iteration = useRun((s) => s.iteration);
  const total = useRun((s) => s.applied.iterations);
  const algorithm = useRun((s) => ALGORITHM_INFO[s.applied.algorithm].unit);
  const running = useRun((s) => s.status === 'running');
  const eta = useRun((s) => grpoEtaMs({ metrics: s.metrics, iteration: s.iteration, total: s.applied.iterations }));
  return (
    <div className="progress-row">
      <label>
        {algorithm} iteration {iteration}/{total}
        <progress max={Math.max(1, total)} value={iteration} aria-label={`${algorithm} progress`} />
      </label>
      {running && Number.isFinite(eta) && <span className="mono">ETA {formatMs(eta)}</span>}
    </div>
  );
}


/** The resource guard's ETA for a run that fits but is slow on this device, held until the person decides. */
function SlowRunConfirm() {
  const slow = useRun((s) => s.slowRun);
  if (!slow) return null;
  const a = runStore().getState();
  return (
    <div className="banner banner-warn" role="alertdialog" aria-label="Slow run">
      <p>{slow.message}</p>
      <div className="button-row">
        <button type="button" className="primary" onClick={() => void a.confirmSlowRun()}>
          Start anyway
        </button>
        <button type="button" onClick={() => a.cancelSlowRun()}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** Full speed, or slowed down to watch each iteration land (teaching demos); applies at once, even mid-run. */
const PACES = [
  { ms: 0, label: 'full speed' },
  { ms: 1000, label: '1 iteration / s' },
  { ms: 3000, label: '1 iteration / 3 s' },
  { ms: 10_000, label: '1 iteration / 10 s' },
];

function SpeedPicker() {
  const paceMs = useRun((s) => s.paceMs);
  return (
    <label className="inline-control">
      speed
      <select value={paceMs} onChange={(e) => void runStore().getState().setPace(Number(e.target.value))}>
        {PACES.map((p) => (
          <option key={p.ms} value={p.ms}>
            {p.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function RunControls() {
  const status = useRun((s) => s.status);
  const sftDone = useRun((s) => s.sftDone);
  const iteration = useRun((s) => s.iteration);
  const total = useRun((s) => s.applied.iterations);
  const sftSteps = useRun((s) => s.applied.sft.steps);
  const error = useRun((s) => s.error);
  // Train's own warm-start can be paused too: the run then stops right after it.
  const training = useRun((s) => s.status === 'running' || (s.status === 'warming' && s.busyCommand === 'Train'));
  const a = runStore().getState();
  const busy = status === 'warming' || status === 'running' || status === 'stepping';
  const broken = status === 'error' || status === 'lost';
  const canIterate = !busy && !broken && iteration < total;
  return (
    <section className="run-controls" aria-label="Run controls">
      <div className="button-row">
        <button type="button" onClick={() => void a.warmStart()} disabled={busy || broken || sftDone || iteration > 0 || sftSteps === 0}>
          SFT warm-start
        </button>
        {training ? (
          <button type="button" className="primary" onClick={() => void a.pause()}>
            Pause
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => void a.train()} disabled={!canIterate}>
            Train
          </button>
        )}
        <button type="button" onClick={() => void a.step()} disabled={!canIterate}>
          Step
        </button>
        <button type="button" onClick={() => void a.reset()} disabled={status === 'idle' && !error}>
          Reset
        </button>
        <SpeedPicker />
        <span className="status-pill" data-status={status} role="status" aria-label="Run status">
          {STATUS_WORD[status]}
        </span>
        <CheckpointButtons disabled={busy || broken} />
      </div>
      <StorageReadout />
      <SlowRunConfirm />
      <SftProgressBar />
      <IterationProgress />
    </section>
  );
}
