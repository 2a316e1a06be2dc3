/**
 * The run kept for reload: the offer to resume it after a reload or an engine restart, a note when another tab has
 * a run open, a failed write (the run goes on in memory), and the storage read-out with the checkpoint interval.
 */
import { durableStore, useDurable } from '../store/appStore';
import { formatBytes } from '../rl/resourceGuard';
import { MAX_CHECKPOINT_SECONDS } from '../store/durableRuns';

export function DurableRunNotices() {
  const offer = useDurable((s) => s.offer);
  const elsewhere = useDurable((s) => s.elsewhere);
  const problem = useDurable((s) => s.problem);
  const d = durableStore().getState();
  return (
    <>
      {offer && (
        <div className="banner banner-warn" role="alert" aria-label="Run kept for reload">
          <span>
            {offer.iteration < offer.total
              ? `A ${offer.task} run was interrupted at iteration ${offer.iteration}/${offer.total}`
              : `A finished ${offer.task} run (${offer.total} iterations) was open`}{' '}
            (kept {new Date(offer.savedAt).toLocaleTimeString()}).
          </span>
          <button type="button" className="primary" onClick={() => void d.resume()}>
            Resume run from iteration {offer.iteration}
          </button>
          <button type="button" onClick={() => void d.discard()}>
            Discard it
          </button>
        </div>
      )}
      {elsewhere > 0 && (
        <p className="muted" role="note">
          {elsewhere === 1 ? 'A run is' : `${elsewhere} runs are`} open in another tab; that tab keeps {elsewhere === 1 ? 'it' : 'them'}. Close it to resume here.
        </p>
      )}
      {problem && (
        <div className="banner banner-warn" role="alert" aria-label="Checkpoint problem">
          <span>{problem}</span>
          <button type="button" onClick={d.dismissProblem}>
            Dismiss
          </button>
        </div>
      )}
    </>
  );
}

export function StorageReadout() {
  const storage = useDurable((s) => s.storage);
  const every = useDurable((s) => s.everySeconds);
  return (
    <span className="inline-control storage-readout">
      <label className="inline-control">
        keep for reload every
        <input
          type="number"
          min={0}
          max={MAX_CHECKPOINT_SECONDS}
          value={every}
          onChange={(e) => void durableStore().getState().setEvery(Number(e.target.value))}
          style={{ width: '5em' }}
        />
        s
      </label>
      {storage && (
        <span className="mono muted" aria-label="Storage use">
          storage {formatBytes(storage.usage)} of {formatBytes(storage.quota)}
          {storage.persisted ? ' (persistent)' : ''}
        </span>
      )}
    </span>
  );
}
