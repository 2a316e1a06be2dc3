/** The header's run read-out: status and step counter, visible while the run controls are scrolled away. */
import { useRun } from '../store/appStore';
import { progressText } from './progressText';

export function RunProgress() {
  const status = useRun((s) => s.status);
  const iteration = useRun((s) => s.iteration);
  const iterations = useRun((s) => s.applied.iterations);
  const sftDone = useRun((s) => s.sftDone);
  const sftStep = useRun((s) => s.sft?.step ?? 0);
  const sftSteps = useRun((s) => s.sft?.total ?? s.applied.sft.steps);
  return (
    <span className="status-pill run-progress" data-status={status} role="status" aria-label="Run progress">
      {progressText({ status, iteration, iterations, sftDone, sftStep, sftSteps })}
    </span>
  );
}
