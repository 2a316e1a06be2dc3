/**
 * GRPO's own settings: loss aggregation, advantage scaling, KL, clipping (token or sequence ratio, two-sided δ), μ,
 * minibatches, dynamic sampling, entropy bonus, label mode.
 */
import { useRun } from '../../store/appStore';
import { CheckField, NumberField, SelectField } from './fields';

export function GrpoSettings() {
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
      <SelectField
        label="importance ratio"
        path="grpo.importance_sampling_level"
        hint="sequence = GSPO: one clipped ratio per completion"
        options={[
          { value: 'token', label: 'token (GRPO)' },
          { value: 'sequence', label: 'sequence (GSPO)' },
        ]}
      />
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
