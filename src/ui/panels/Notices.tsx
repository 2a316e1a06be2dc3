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
            <strong>{error.deviceLost ? 'The GPU device was lost.' : 'Training stopped with an error.'}</strong> {error.message}
          </span>
          <button type="button" className="primary" onClick={() => void s.reset()}>
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
