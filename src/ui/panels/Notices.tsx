/** Things the user must know: an unusable link, a rejected command, an engine error (with the way out: reset). */
import { runStore, useRun } from '../../store/appStore';

export function Notices() {
  const hashError = useRun((s) => s.hashError);
  const notice = useRun((s) => s.notice);
  const error = useRun((s) => s.error);
  const s = runStore().getState();
  return (
    <>
      {hashError && (
        <div className="banner banner-warn" role="alert" aria-label="Link problem">
          <span>{hashError}</span>
          <button type="button" onClick={() => runStore().setState({ hashError: null })}>
            Dismiss
          </button>
        </div>
      )}
      {error && (
        <div className="banner banner-bad" role="alert" aria-label="Engine error">
          <span>
            <strong>
              {!error.deviceLost ? 'Training stopped with an error.' : error.resumeFrom !== null ? 'The GPU device was lost; the run is paused.' : 'The GPU device was lost before the first checkpoint; reset to start again.'}
            </strong>{' '}
            {error.message}
            {error.deviceLost && error.resumeFrom !== null && ` Its last checkpoint holds iteration ${error.resumeFrom}; curves and rollouts so far stay on screen.`}
          </span>
          {error.deviceLost && error.resumeFrom !== null && (
            <button type="button" className="primary" onClick={() => void s.resume()}>
              Resume from iteration {error.resumeFrom}
            </button>
          )}
          <button type="button" className={error.deviceLost && error.resumeFrom !== null ? undefined : 'primary'} onClick={() => void s.reset()}>
            Reset the run
          </button>
        </div>
      )}
      {notice && (
        <div className="banner banner-warn" role="alert" aria-label="Notice">
          <span>{notice}</span>
          <button type="button" onClick={s.dismissNotice}>
            Dismiss
          </button>
        </div>
      )}
    </>
  );
}
