/**
 * The judge's side of the latest iteration: every rollout's verifier and judge verdicts with the rationale, the
 * biased judge's dials, the reward-hacking read-out and a pairwise position-consistency check.
 */
import { useMemo } from 'react';
import { useRun } from '../../store/appStore';
import type { RolloutRecord } from '../../rl/trainer';
import type { Verdict } from '../../rl/judges/verdict';
import { NumberField, TextField } from './fields';
import { PairwiseCheck } from './PairwiseCheck';
import { RewardHacking } from './RewardHacking';

function VerdictCell({ v }: { v: Verdict | undefined }) {
  if (!v) return <td className="muted">—</td>;
  return (
    <td>
      {v.label} <span className="mono muted">{v.score.toFixed(3)}</span>
    </td>
  );
}

function VerdictRow({ r, index, onnx }: { r: RolloutRecord; index: number; onnx: boolean }) {
  const rationale = r.verdicts.judge?.rationale ?? r.verdicts.model_judge?.rationale ?? r.verdicts.correct?.rationale ?? '';
  return (
    <tr data-correct={r.correct}>
      <th scope="row" className="mono">
        {index + 1}
      </th>
      <td className="mono">{r.group}</td>
      <td className="mono">{r.completion || '∅'}</td>
      <VerdictCell v={r.verdicts.correct} />
      <VerdictCell v={r.verdicts.judge} />
      {onnx && <VerdictCell v={r.verdicts.model_judge} />}
      <td>{rationale}</td>
    </tr>
  );
}

export function JudgePanel() {
  const rollouts = useRun((s) => s.rollouts);
  const judgeOn = useRun((s) => Boolean(s.applied.rewards.weights.judge));
  const draftJudgeOn = useRun((s) => Boolean(s.draft.rewards.weights.judge));
  const onnx = rollouts.some((r) => r.verdicts.model_judge);
  const rows = useMemo(() => rollouts.map((r, i) => <VerdictRow key={i} r={r} index={i} onnx={onnx} />), [rollouts, onnx]);
  return (
    <section className="panel" aria-labelledby="judge-title">
      <header className="panel-header">
        <h2 id="judge-title">Judge</h2>
        <span className="muted">{judgeOn ? 'biased judge in the reward' : onnx ? 'ONNX judge in the reward' : 'judge weight is 0: only the verifier rewards'}</span>
      </header>
      <div className="judge-grid">
        <div>
          <h3 className="subhead">Biased judge settings</h3>
          <p className="field-hint">The same dials as in Rewards; a change starts a new run once applied. The pairwise check below uses them at once.</p>
          <div className="field-grid">
            <NumberField label="weight: judge" path="rewards.weights.judge" step={0.1} fallback={0} />
            {draftJudgeOn && (
              <>
                <NumberField label="judge: length bias" path="rewards.judge.lengthBias" step={0.01} hint="per character" />
                <NumberField label="judge: keyword bonus" path="rewards.judge.keywordBias" step={0.1} />
                <TextField label="judge: keyword" path="rewards.judge.keyword" />
                <NumberField label="judge: flip noise" path="rewards.judge.noise" step={0.05} min={0} max={1} />
              </>
            )}
            <NumberField label="judge: position bias" path="rewards.judge.positionBias" step={0.05} hint="pairwise: bonus for going first" />
          </div>
        </div>
        <RewardHacking />
      </div>
      <h3 className="subhead">Verdicts of the latest iteration</h3>
      {rollouts.length ? (
        <div className="table-scroll">
          <table className="data-table" aria-label="Judge verdicts">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">group</th>
                <th scope="col">completion</th>
                <th scope="col">verifier</th>
                <th scope="col">judge</th>
                {onnx && <th scope="col">ONNX judge</th>}
                <th scope="col">rationale</th>
              </tr>
            </thead>
            <tbody>{rows}</tbody>
          </table>
        </div>
      ) : (
        <p className="muted empty-note">The verdicts of each iteration's rollouts appear here.</p>
      )}
      <PairwiseCheck />
    </section>
  );
}
