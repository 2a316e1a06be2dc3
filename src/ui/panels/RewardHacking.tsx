/** Judge score vs gold correctness per iteration with their gap; flags iterations where the two move apart. */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useRun } from '../../store/appStore';
import { hackingSeries } from '../../store/rewardHacking';
import { SeriesChart } from '../charts/SeriesChart';

export function RewardHacking() {
  // The biased judge when it is in the reward, else the ONNX judge: whichever judge the policy can hack.
  const [judge, gold] = useRun(useShallow((s) => [s.metrics['rewards/judge/mean'] ?? s.metrics['rewards/model_judge/mean'], s.metrics.accuracy_train]));
  const points = useMemo(() => hackingSeries(judge, gold), [judge, gold]);
  const flagged = points.filter((p) => p.flagged);
  const last = points[points.length - 1];
  return (
    <div className="reward-hacking">
      <h3 className="subhead">Reward hacking</h3>
      <SeriesChart
        title="judge score vs gold correctness"
        series={[
          { label: 'judge mean', points: points.map((p) => ({ x: p.step, y: p.judge })) },
          { label: 'gold correct rate', points: points.map((p) => ({ x: p.step, y: p.gold })) },
          { label: 'gap (judge − gold)', points: points.map((p) => ({ x: p.step, y: p.gap })) },
        ]}
        dashed={[2]}
        flags={flagged.map((p) => p.step)}
      />
      {!points.length ? (
        <p className="muted empty-note">Needs a judge or model_judge weight above 0: the judge's mean score is then logged per iteration.</p>
      ) : flagged.length ? (
        <p className="hacking-flag" role="status" aria-label="Reward hacking">
          ⚑ Possible reward hacking at iteration{flagged.length > 1 ? 's' : ''} {flagged.map((p) => p.step).join(', ')}: the judge's score rose while gold
          correctness fell.
        </p>
      ) : (
        <p className="muted empty-note" role="status" aria-label="Reward hacking">
          No divergence yet{last ? ` (gap ${last.gap.toFixed(3)} at iteration ${last.step})` : ''}.
        </p>
      )}
    </div>
  );
}
