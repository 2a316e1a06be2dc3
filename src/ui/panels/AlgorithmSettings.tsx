/**
 * The training algorithm and its objective. The picker offers GRPO, GSPO (GRPO with the sequence-level importance
 * ratio) and semi-online DPO; each shows only its own settings, and the optimizer settings both use come last.
 * GRPO: loss aggregation, advantage scaling, KL, clipping (token or sequence ratio, two-sided δ), μ, dynamic
 * sampling, label mode. DPO: β, the generator's sync interval, π_ref's sync, the pair rule.
 */
import { useId } from 'react';
import { useRun } from '../../store/appStore';
import { DpoSettings } from './DpoSettings';
import { CheckField, Field, NumberField, Section, SelectField } from './fields';

type Pick = 'grpo' | 'gspo' | 'dpo';

const PICKS: ReadonlyArray<{ value: Pick; label: string }> = [
  { value: 'grpo', label: 'GRPO' },
  { value: 'gspo', label: 'GSPO (sequence-level ratio)' },
  { value: 'dpo', label: 'DPO (semi-online)' },
];

export function AlgorithmSettings() {
  const problems = useRun((s) => s.problems.algorithm);
  const algorithm = useRun((s) => s.draft.algorithm);
  return (
    <Section title="Algorithm" problems={problems}>
      <AlgorithmPicker />
      {algorithm === 'dpo' ? <DpoSettings /> : <GrpoFields />}
      <NumberField label="learning rate" path="grpo.learning_rate" step={0.0001} min={0} />
      <NumberField label="warmup steps" path="grpo.warmup_steps" min={0} />
      <NumberField label="weight decay" path="grpo.weight_decay" step={0.01} min={0} />
      <NumberField label="max grad norm" path="grpo.max_grad_norm" step={0.1} min={0} />
    </Section>
  );
}

function AlgorithmPicker() {
  const id = useId();
  const pick = useRun((s): Pick => (s.draft.algorithm === 'dpo' ? 'dpo' : s.draft.grpo.importance_sampling_level === 'sequence' ? 'gspo' : 'grpo'));
  const edit = useRun((s) => s.edit);
  const choose = (next: Pick) => {
    edit('algorithm', next === 'dpo' ? 'dpo' : 'grpo');
    if (next !== 'dpo') edit('grpo.importance_sampling_level', next === 'gspo' ? 'sequence' : 'token');
  };
  return (
    <Field id={id} label="algorithm" hint="DPO learns from preference pairs of its own samples">
      <select id={id} value={pick} onChange={(e) => choose(e.target.value as Pick)}>
        {PICKS.map((p) => (
          <option key={p.value} value={p.value}>
            {p.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

function GrpoFields() {
  const labelMode = useRun((s) => s.draft.grpo.label_mode);
  const maskTruncated = useRun((s) => s.draft.grpo.mask_truncated_completions);
  const delta = useRun((s) => s.draft.grpo.delta);
  const epsilonHigh = useRun((s) => s.draft.grpo.epsilon_high);
  const edit = useRun((s) => s.edit);
  return (
    <>
      <SelectField
        label="loss_type"
        path="grpo.loss_type"
        hint="how token losses are averaged"
        options={[
          { value: 'grpo', label: 'grpo' },
          { value: 'bnpo', label: 'bnpo' },
          { value: 'dapo', label: 'dapo' },
          { value: 'dr_grpo', label: 'dr_grpo' },
        ]}
      />
      <SelectField
        label="scale_rewards"
        path="grpo.scale_rewards"
        options={[
          { value: 'group', label: 'group' },
          { value: 'batch', label: 'batch' },
          { value: 'none', label: 'none' },
        ]}
      />
      <NumberField label="beta (KL)" path="grpo.beta" step={0.01} min={0} hint="0 = no reference model" />
      <NumberField label="epsilon (clip low)" path="grpo.epsilon" step={0.01} min={0} />
      <NumberField label="epsilon_high (clip high)" path="grpo.epsilon_high" step={0.01} min={0} />
      <CheckField
        label="two-sided clipping (delta)"
        checked={delta !== null}
        // A cap just above the upper clip bound, the smallest that only negative advantages feel.
        onChange={(on) => edit('grpo.delta', on ? Math.round((1 + epsilonHigh) * 10 + 1) / 10 : null)}
      />
      {delta !== null && <NumberField label="delta (ratio cap, A < 0)" path="grpo.delta" step={0.1} min={1} hint="must exceed 1 + epsilon_high" />}
      <NumberField label="num_iterations (μ)" path="grpo.num_iterations" min={1} />
      <NumberField label="minibatches" path="grpo.minibatches" min={1} />
      <NumberField label="dynamic sampling rounds" path="grpo.dynamic_sampling_rounds" min={0} hint="0 = off" />
      <NumberField label="entropy bonus" path="grpo.entropy_coef" step={0.001} min={0} />
      <CheckField label="mask truncated completions" checked={maskTruncated} onChange={(v) => edit('grpo.mask_truncated_completions', v)} />
      <SelectField
        label="label mode"
        path="grpo.label_mode"
        hint="TTRL/RESTRAIN use no gold answers"
        options={[
          { value: 'gold', label: 'gold' },
          { value: 'ttrl', label: 'TTRL' },
          { value: 'restrain', label: 'RESTRAIN' },
        ]}
      />
      {labelMode === 'restrain' && (
        <>
          <NumberField label="κ (min majority count)" path="grpo.restrain.kappa" min={0} />
          <NumberField label="δ (penalty)" path="grpo.restrain.delta" step={0.05} min={0} />
          <NumberField label="σ (vote-share bandwidth)" path="grpo.restrain.sigma" step={0.05} min={0} />
        </>
      )}
    </>
  );
}
