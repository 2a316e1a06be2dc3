/**
 * Finished runs kept in this browser (IndexedDB): pick up to five to overlay their curves, labelled by the
 * settings that differ between them; export a run as files, or import one (from here or from `cli train`).
 */
import { useMemo } from 'react';
import { compareStore, runStore, saveCurrentRun, useCompare, useRun } from '../../store/appStore';
import { diffLabels } from '../../store/configDiff';
import { MAX_OVERLAY } from '../../store/compareStore';
import { fileStem, runToFiles, type SavedRun } from '../../store/runFiles';
import { SeriesChart } from '../charts/SeriesChart';
import { download } from './download';
import { RunImportButton } from './RunImportButton';

/** Curves every algorithm logs (a DPO and a GRPO run overlay on them), then those only some runs log. */
const OVERLAYS: Array<{ title: string; metric: string; unit?: boolean }> = [
  { title: 'reward', metric: 'reward' },
  { title: 'train accuracy', metric: 'accuracy_train', unit: true },
  { title: 'held-out accuracy (greedy)', metric: 'accuracy', unit: true },
  { title: 'held-out pass@1', metric: 'pass@1', unit: true },
  { title: 'entropy', metric: 'entropy' },
  { title: 'completion length', metric: 'completions/mean_length' },
  { title: 'kl', metric: 'kl' },
  { title: 'DPO reward margin', metric: 'rewards/margins' },
];

function exportRun(run: SavedRun) {
  const files = runToFiles(run);
  const stem = fileStem(run.name);
  download(`${stem}.run.json`, files.config, 'application/json');
  download(`${stem}.metrics.jsonl`, files.metrics, 'application/x-ndjson');
  if (files.rollouts) download(`${stem}.rollouts.jsonl`, files.rollouts, 'application/x-ndjson');
}

function RunRow({ run, selected, colour }: { run: SavedRun; selected: boolean; colour: number }) {
  const c = compareStore().getState();
  const iterations = run.metrics.reward?.length ?? 0;
  return (
    <li className="saved-run" data-selected={selected || undefined}>
      <label>
        <input type="checkbox" checked={selected} onChange={() => c.toggle(run.id)} />
        {selected && <span className={`swatch series-${colour % 5}`} aria-hidden="true" />}
        <span className="saved-run-name">{run.name}</span>
      </label>
      <span className="muted">
        {run.config.task} · {iterations} it.
      </span>
      <span className="button-row">
        <button type="button" onClick={() => exportRun(run)} aria-label={`Export ${run.name}`}>
          Export
        </button>
        {run.checkpoint && (
          <button
            type="button"
            onClick={() => void runStore().getState().importCheckpoint(run.checkpoint!)}
            aria-label={`Load the policy of ${run.name}`}
            title="Load this run's trained policy (kept in IndexedDB) as the current model"
          >
            Load policy
          </button>
        )}
        <button type="button" onClick={() => void c.remove(run.id)} aria-label={`Delete ${run.name}`}>
          Delete
        </button>
      </span>
    </li>
  );
}

/** Keep a paused run too (finished runs are kept by themselves): it is listed, comparable and reloadable. */
function SaveRunButton() {
  const canSave = useRun((s) => s.status === 'paused' && s.iteration > 0);
  return (
    <button type="button" onClick={() => void saveCurrentRun()} disabled={!canSave} title="Keep the paused run (settings, curves, rollouts and policy) in this browser">
      Save current run
    </button>
  );
}

export function ComparePanel() {
  const runs = useCompare((s) => s.runs);
  const selected = useCompare((s) => s.selected);
  const error = useCompare((s) => s.error);
  const picked = useMemo(() => selected.map((id) => runs.find((r) => r.id === id)).filter((r): r is SavedRun => r !== undefined), [runs, selected]);
  const labels = useMemo(
    () =>
      diffLabels(
        picked.map((r) => r.config),
        picked.map((r) => r.name),
      ),
    [picked],
  );
  return (
    <section className="panel" aria-labelledby="compare-title">
      <header className="panel-header">
        <h2 id="compare-title">Compare runs</h2>
        <span className="button-row">
          <SaveRunButton />
          <RunImportButton />
        </span>
      </header>
      {error && (
        <div className="banner banner-bad" role="alert" aria-label="Compare problem">
          <span>{error}</span>
          <button type="button" onClick={() => compareStore().getState().dismissError()}>
            Dismiss
          </button>
        </div>
      )}
      {!runs.length ? (
        <p className="muted empty-note">Runs that finish every planned iteration are kept here (in this browser) for comparison; "Save current run" keeps a paused one.</p>
      ) : (
        <ul className="saved-runs" aria-label="Saved runs">
          {runs.map((r) => (
            <RunRow key={r.id} run={r} selected={selected.includes(r.id)} colour={selected.indexOf(r.id)} />
          ))}
        </ul>
      )}
      {picked.length > 0 ? (
        <div className="chart-grid compare-charts">
          {OVERLAYS.filter((o) => picked.some((r) => r.metrics[o.metric]?.length)).map((o) => (
            <SeriesChart
              key={o.metric}
              title={o.title}
              unit={o.unit}
              series={picked.map((r, i) => ({ label: labels[i], points: (r.metrics[o.metric] ?? []).map((p) => ({ x: p.step, y: p.value })) }))}
            />
          ))}
        </div>
      ) : (
        runs.length > 0 && <p className="muted empty-note">Tick up to {MAX_OVERLAY} runs to overlay their curves.</p>
      )}
    </section>
  );
}
