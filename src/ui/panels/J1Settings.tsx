/**
 * The J1 judge's settings (algorithm j1, and the judge of onpolicy-rm): its model and SFT warm-up, its GRPO batch
 * (pairs in both orders, rollouts per order), the consistency reward, and the pool of policy answers it learns from.
 */
import { useRun } from '../../store/appStore';
import { BoolField, NumberField, SelectField } from './fields';

export function J1Settings() {
  const consistency = useRun((s) => s.draft.j1.consistency_reward);
  return (
    <>
      <SelectField
        label="judge model"
        path="j1.judge_preset"
        options={[
          { value: 'tiny', label: 'tiny' },
          { value: 'small', label: 'small' },
          { value: 'medium', label: 'medium' },
        ]}
      />
      <NumberField label="judge context" path="j1.judge_context" min={8} hint="pair prompt + the judge's output, in tokens" />
      <NumberField label="judge SFT steps" path="j1.judge_sft_steps" min={0} hint="warm-up on demonstrations: its own result, then the verdict" />
      <NumberField label="judge learning rate" path="j1.learning_rate" step={0.0001} min={0} />
      <NumberField label="pairs per batch" path="j1.pairs_per_batch" min={1} hint="each pair is judged in both orders" />
      <NumberField label="rollouts per order" path="j1.generations_per_order" min={2} />
      <NumberField label="judge output budget" path="j1.max_output" min={4} />
      <BoolField label="consistency reward" path="j1.consistency_reward" hint="+weight only when right in both orders" />
      {consistency && <NumberField label="consistency weight" path="j1.consistency_weight" step={0.1} min={0} />}
      <NumberField label="pool prompts" path="j1.pool_prompts" min={1} hint="policy prompts sampled for pairs" />
      <NumberField label="answers per prompt" path="j1.pool_answers" min={2} />
      <NumberField label="pool refresh" path="j1.pool_refresh" min={0} hint="judge iterations between fresh pools; 0 = one pool" />
      <NumberField label="held-out pairs" path="j1.heldout_pairs" min={0} />
    </>
  );
}

/** The on-policy reward model: the J1 judge's settings, and how often it is refreshed on the policy's rollouts. */
export function OnPolicyRmSettings() {
  return (
    <>
      <NumberField label="refresh every" path="onpolicy_rm.refresh_every" min={1} hint="policy iterations between judge refreshes" />
      <NumberField label="judge iterations per refresh" path="onpolicy_rm.refresh_iterations" min={0} />
      <SelectField
        label="pairing"
        path="onpolicy_rm.pairing"
        options={[
          { value: 'balanced', label: 'score-balanced' },
          { value: 'pivot', label: 'pivot' },
        ]}
      />
      <J1Settings />
    </>
  );
}
