/** How each iteration samples: group size G, prompts per step, sampling temperature / top-k / top-p, max length. */
import { useRun } from '../../store/appStore';
import { NumberField, Section } from './fields';

export function RolloutSettings() {
  const problems = useRun((s) => s.problems.rollout);
  return (
    <Section title="Rollouts" problems={problems}>
      <NumberField label="G (completions per prompt)" path="grpo.num_generations" min={2} />
      <NumberField label="prompts per step" path="grpo.prompts_per_step" min={1} />
      <NumberField label="temperature" path="grpo.temperature" step={0.1} min={0} />
      <NumberField label="top-k" path="grpo.top_k" min={0} hint="0 = off" />
      <NumberField label="top-p" path="grpo.top_p" step={0.05} min={0} max={1} />
      <NumberField label="max completion length" path="grpo.max_completion_length" min={1} />
    </Section>
  );
}
