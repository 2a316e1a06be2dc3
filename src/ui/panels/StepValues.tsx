/**
 * StepWiser step verdicts for a multi-step rollout: for each step prefix the policy continues 8 times, Q̂ is the
 * share of continuations that end correct, and the three labelling rules judge each step from the Q̂ sequence.
 */
import { useState } from 'react';
import type { StepValue } from '../../rl/judges/stepwiser';
import type { RolloutRecord } from '../../rl/trainer';
import { runStore } from '../../store/appStore';

const mark = (ok: boolean) => (ok ? '+' : '−');

export function StepValues({ rollout }: { rollout: RolloutRecord }) {
  const [values, setValues] = useState<{ rollout: RolloutRecord; steps: StepValue[] } | null>(null);
  const [loading, setLoading] = useState(false);
  const shown = values?.rollout === rollout ? values.steps : null;

  const judge = async () => {
    setLoading(true);
    const steps = await runStore().getState().stepValues({ prompt: rollout.prompt, completion: rollout.completion, gold: rollout.gold });
    setLoading(false);
    if (steps) setValues({ rollout, steps });
  };

  return (
    <section className="step-values" aria-label="Step values">
      <button type="button" disabled={loading} onClick={() => void judge()}>
        {loading ? 'Judging steps…' : 'Judge steps (StepWiser)'}
      </button>
      {shown && (
        <table className="verdicts">
          <caption>Step values: Q̂ from 8 continuations of each prefix</caption>
          <thead>
            <tr>
              <th scope="col">step</th>
              <th scope="col">Q̂</th>
              <th scope="col">Abs-Q</th>
              <th scope="col">Rel-Ratio</th>
              <th scope="col">Rel-Effective</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((s, i) => (
              <tr key={i} data-label={s.relEffective ? 'positive' : 'negative'}>
                <th scope="row" className="mono">{s.step}</th>
                <td className="mono">{s.q.toFixed(2)}</td>
                <td>{mark(s.absQ)}</td>
                <td>{mark(s.relRatio)}</td>
                <td>{mark(s.relEffective)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
