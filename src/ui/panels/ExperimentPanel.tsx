/** Every run setting, grouped; edits made while a run has progress wait here until applied. */
import { useRun } from '../../store/appStore';
import { AlgorithmSettings } from './AlgorithmSettings';
import { ModelSettings } from './ModelSettings';
import { PresetPicker } from './PresetPicker';
import { RewardSettings } from './RewardSettings';
import { RolloutSettings } from './RolloutSettings';
import { RunSettings } from './RunSettings';
import { TaskSettings } from './TaskSettings';

function PendingBar() {
  const pending = useRun((s) => s.pending);
  const busy = useRun((s) => s.status === 'running' || s.status === 'warming' || s.status === 'stepping');
  const apply = useRun((s) => s.applyDraft);
  const discard = useRun((s) => s.discardDraft);
  if (!pending) return null;
  return (
    <div className="pending-bar" role="status">
      <span>Changed settings apply to a new run{busy ? ' (pause first)' : ''}; the current run keeps its own.</span>
      <div className="button-row">
        <button type="button" className="primary" disabled={busy} onClick={() => void apply()}>
          Start new run with these
        </button>
        <button type="button" onClick={discard}>
          Revert
        </button>
      </div>
    </div>
  );
}

export function ExperimentPanel() {
  return (
    <aside className="experiment-panel" aria-label="Experiment settings">
      <PresetPicker />
      <PendingBar />
      <form className="settings" onSubmit={(e) => e.preventDefault()}>
        <TaskSettings />
        <ModelSettings />
        <RolloutSettings />
        <AlgorithmSettings />
        <RewardSettings />
        <RunSettings />
      </form>
    </aside>
  );
}
