/**
 * One prompt's group: its G rollouts side by side with reward parts, verdict labels and advantages. A group whose
 * rewards are all equal is flagged: its advantages are all 0, so it contributes no gradient.
 */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { RolloutRecord } from '../../rl/trainer';
import { runStore, useRun } from '../../store/appStore';

interface GroupSummary {
  group: number;
  prompt: string;
  meanReward: number;
  zeroVariance: boolean;
}

function summarise(rollouts: readonly RolloutRecord[]): GroupSummary[] {
  const byGroup = new Map<number, RolloutRecord[]>();
  for (const r of rollouts) byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r]);
  return [...byGroup].map(([group, rs]) => ({
    group,
    prompt: rs[0].prompt,
    meanReward: rs.reduce((a, r) => a + r.reward, 0) / rs.length,
    zeroVariance: rs.every((r) => r.advantage === 0),
  }));
}

const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(3));

function RolloutCard({ r, index, selected }: { r: RolloutRecord; index: number; selected: boolean }) {
  return (
    <button
      type="button"
      className="rollout-card"
      aria-pressed={selected}
      data-correct={r.correct}
      onClick={() => runStore().getState().select({ rollout: index })}
    >
      <span className="completion mono">{r.completion || '∅'}</span>
      <span className="card-row">
        <span className={r.correct ? 'ok' : 'bad'}>{r.correct ? '✓ correct' : '✗ wrong'}</span>
        {r.truncated && <span className="muted">truncated</span>}
      </span>
      <span className="card-row mono">
        reward {num(r.reward)} · adv <span className={r.advantage > 0 ? 'ok' : r.advantage < 0 ? 'bad' : 'muted'}>{r.advantage.toFixed(2)}</span>
      </span>
      <span className="card-parts mono">
        {Object.entries(r.parts).map(([name, v]) => (
          <span key={name}>
            {name} {num(v)} <em>{r.verdicts[name as keyof typeof r.verdicts]?.label}</em>
          </span>
        ))}
      </span>
    </button>
  );
}

export function GroupView() {
  const rollouts = useRun((s) => s.rollouts);
  const { group, rollout } = useRun(useShallow((s) => s.selection));
  const groups = useMemo(() => summarise(rollouts), [rollouts]);
  const current = groups.find((g) => g.group === group);
  const members = rollouts.map((r, i) => ({ r, i })).filter(({ r }) => r.group === group);
  const pseudo = members[0]?.r.pseudoLabel ?? null;
  return (
    <section className="panel" aria-labelledby="group-title">
      <header className="panel-header">
        <h2 id="group-title">Group view</h2>
        <span className="muted">{groups.length ? `${groups.length} prompts × ${members.length} rollouts` : ''}</span>
      </header>
      {!groups.length ? (
        <p className="muted empty-note">Each iteration samples G completions per prompt; the latest iteration’s groups appear here.</p>
      ) : (
        <>
          <div className="group-tabs" role="group" aria-label="Prompt groups">
            {groups.map((g) => (
              <button
                key={g.group}
                type="button"
                aria-pressed={g.group === group}
                data-zero={g.zeroVariance || undefined}
                onClick={() => runStore().getState().select({ group: g.group })}
                title={g.zeroVariance ? 'zero variance: no gradient' : undefined}
              >
                <span className="mono">{g.prompt}</span>
                <span className="muted"> r̄ {g.meanReward.toFixed(2)}</span>
                {g.zeroVariance && <span className="zero-flag"> · no gradient</span>}
              </button>
            ))}
          </div>
          {current && (
            <p className="group-meta">
              prompt <span className="mono">{current.prompt}</span> · gold <span className="mono">{members[0].r.gold}</span>
              {pseudo !== null && (
                <>
                  {' '}
                  · pseudo-label <span className="mono">{pseudo}</span>
                </>
              )}
            </p>
          )}
          {current?.zeroVariance && (
            <p className="zero-note" role="note">
              Zero-variance group: all {members.length} rewards are equal, so every advantage is 0 and this prompt gives no gradient. It counts toward
              frac_reward_zero_std; dynamic sampling would replace it with a fresh prompt.
            </p>
          )}
          <div className="rollout-grid">
            {members.map(({ r, i }) => (
              <RolloutCard key={i} r={r} index={i} selected={i === rollout} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
