/**
 * The StepWiser step judge's own settings (docs/judges.md "The StepWiser trainer"): the label rule and its knobs,
 * Monte-Carlo continuations, class balancing, the labelled pool (size, refresh), the judge model and its SFT
 * warm-up, judge completions per step, and chunk-reset attempts. The policy samples with the rollout settings.
 */
import { useRun } from '../../store/appStore';
import { BoolField, NumberField, SelectField } from './fields';

export function StepwiserSettings() {
  const rule = useRun((s) => s.draft.stepwiser.rule);
  return (
    <>
      <SelectField
        label="label rule"
        path="stepwiser.rule"
        hint="how a step's Monte-Carlo value Q̂ becomes Positive/Negative"
        options={[
          { value: 'abs_q', label: 'Abs-Q (Q̂ > 0)' },
          { value: 'rel_ratio', label: 'Rel-Ratio (Q̂ / previous > γ)' },
          { value: 'rel_effective', label: 'Rel-Effective (with best-of-n)' },
        ]}
      />
      {rule === 'rel_ratio' && <NumberField label="γ" path="stepwiser.gamma" step={0.05} min={0} />}
      {rule === 'rel_effective' && <NumberField label="α" path="stepwiser.alpha" step={0.1} min={0} />}
      {rule === 'rel_effective' && <NumberField label="best-of-n" path="stepwiser.best_of" min={1} />}
      <NumberField label="continuations M" path="stepwiser.continuations" min={1} hint="per step prefix, for Q̂" />
      <BoolField label="balance labels 50/50" path="stepwiser.balance" hint="down-sample the majority label" />
      <NumberField label="solutions per pool" path="stepwiser.solutions" min={1} />
      <NumberField label="refresh pool every" path="stepwiser.refresh_every" min={0} hint="iterations; 0 = build once" />
      <NumberField label="held-out solutions" path="stepwiser.held_out" min={1} />
      <SelectField
        label="judge model"
        path="stepwiser.judge_preset"
        options={[
          { value: 'tiny', label: 'tiny' },
          { value: 'small', label: 'small' },
          { value: 'medium', label: 'medium' },
        ]}
      />
      <NumberField label="judge context" path="stepwiser.judge_context" min={8} />
      <NumberField label="judge SFT steps" path="stepwiser.judge_sft_steps" min={0} />
      <NumberField label="judge generations G" path="stepwiser.judge_generations" min={2} />
      <NumberField label="judge max tokens" path="stepwiser.judge_max_tokens" min={2} />
      <NumberField label="chunk-reset attempts k" path="stepwiser.reset_attempts" min={1} />
      <NumberField label="chunk-reset problems" path="stepwiser.reset_problems" min={1} />
    </>
  );
}
