/**
 * Position consistency of the pairwise judge (J1-style) on two rollouts of the selected group: it is asked in
 * both orders with the biased-judge settings being edited, and is consistent only if both prefer the same one.
 */
import { useId, useState } from 'react';
import { judgePair } from '../../rl/judges/pairwise';
import { useRun } from '../../store/appStore';

export function PairwiseCheck() {
  const id = useId();
  const rollouts = useRun((s) => s.rollouts);
  const group = useRun((s) => s.selection.group);
  const settings = useRun((s) => s.draft.rewards.judge);
  const members = rollouts.map((r, i) => ({ r, i })).filter(({ r }) => r.group === group);
  const [pick, setPick] = useState<[number, number]>([0, 1]);
  if (members.length < 2) return null;
  const a = members[Math.min(pick[0], members.length - 1)];
  const b = members[Math.min(pick[1], members.length - 1)];
  const result = judgePair(a.r, b.r, settings);
  const side = (s: 'A' | 'B') => (s === 'A' ? a : b);
  const choose = (which: 0 | 1, v: number) => setPick((p) => (which === 0 ? [v, p[1]] : [p[0], v]));
  const options = members.map(({ r, i }, k) => (
    <option key={i} value={k}>
      #{i + 1} {r.completion || '∅'} {r.correct ? '✓' : '✗'}
    </option>
  ));
  return (
    <div className="pairwise">
      <h3 className="subhead">Pairwise consistency (group {group})</h3>
      <div className="inspector-controls">
        <label className="inline-control" htmlFor={`${id}-a`}>
          A
          <select id={`${id}-a`} aria-label="Pairwise response A" value={Math.min(pick[0], members.length - 1)} onChange={(e) => choose(0, Number(e.target.value))}>
            {options}
          </select>
        </label>
        <label className="inline-control" htmlFor={`${id}-b`}>
          B
          <select id={`${id}-b`} aria-label="Pairwise response B" value={Math.min(pick[1], members.length - 1)} onChange={(e) => choose(1, Number(e.target.value))}>
            {options}
          </select>
        </label>
      </div>
      <p className="group-meta" role="status" aria-label="Pairwise verdict">
        A first → prefers <strong>{result.forward}</strong> (#{side(result.forward).i + 1}) · B first → prefers <strong>{result.backward}</strong> (#
        {side(result.backward).i + 1}) ·{' '}
        {result.consistent ? (
          <span className="ok">consistent: {result.winner} wins</span>
        ) : (
          <span className="bad">position-inconsistent</span>
        )}
        {result.winnerCorrect !== null && <> · the winner is {result.winnerCorrect ? <span className="ok">correct</span> : <span className="bad">wrong</span>}</>}
      </p>
    </div>
  );
}
