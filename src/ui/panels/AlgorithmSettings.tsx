/**
 * The training algorithm and its settings: a picker over the algorithms (GSPO is GRPO with one ratio per
 * sequence, so it is offered as its own choice), the picked algorithm's own fields, then the optimiser settings
 * every algorithm shares (they live in the `grpo` section of the run config).
 */
import type { ReactNode } from 'react';
import { ALGORITHM_INFO, ALGORITHMS, type Algorithm } from '../../rl/runConfig';
import { useRun } from '../../store/appStore';
import { DistillSettings } from './DistillSettings';
import { Field, NumberField, Section } from './fields';
import { DpoSettings } from './DpoSettings';
import { AggregationSettings } from './AggregationSettings';
import { GrpoSettings } from './GrpoSettings';
import { SelfInstructSettings } from './SelfInstructSettings';
import { J1Settings, OnPolicyRmSettings } from './J1Settings';
import { StepwiserSettings } from './StepwiserSettings';

/** Each algorithm's own settings (absent: it has none besides the shared ones). */
const OWN_SETTINGS: Partial<Record<Algorithm, () => ReactNode>> = {
  grpo: GrpoSettings,
  dpo: DpoSettings,
  'self-instruct': SelfInstructSettings,
  aggregation: AggregationSettings,
  distill: DistillSettings,
  j1: J1Settings,
  'onpolicy-rm': OnPolicyRmSettings,
  stepwiser: StepwiserSettings,
};

type Choice = { value: string; label: string; algorithm: Algorithm; sequenceLevel?: boolean };

const CHOICES: Choice[] = ALGORITHMS.flatMap((a): Choice[] =>
  a === 'grpo'
    ? [
        { value: 'grpo', label: 'GRPO', algorithm: 'grpo', sequenceLevel: false },
        { value: 'gspo', label: 'GSPO (GRPO, one ratio per sequence)', algorithm: 'grpo', sequenceLevel: true },
      ]
    : [{ value: a, label: ALGORITHM_INFO[a].title, algorithm: a }],
);

export function AlgorithmSettings() {
  const problems = useRun((s) => s.problems.algorithm);
  const algorithm = useRun((s) => s.draft.algorithm);
  const sequenceLevel = useRun((s) => s.draft.grpo.importance_sampling_level === 'sequence');
  const edit = useRun((s) => s.edit);
  const current = CHOICES.find((c) => c.algorithm === algorithm && (c.sequenceLevel === undefined || c.sequenceLevel === sequenceLevel)) ?? CHOICES[0];
  const pick = (value: string) => {
    const choice = CHOICES.find((c) => c.value === value)!;
    edit('algorithm', choice.algorithm);
    if (choice.sequenceLevel !== undefined) edit('grpo.importance_sampling_level', choice.sequenceLevel ? 'sequence' : 'token');
  };
  const Own = OWN_SETTINGS[algorithm];
  return (
    <Section title="Algorithm" problems={problems}>
      <Field id="algorithm-choice" label="algorithm" hint={ALGORITHM_INFO[algorithm].description}>
        <select id="algorithm-choice" value={current.value} onChange={(e) => pick(e.target.value)}>
          {CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </Field>
      {Own && <Own />}
      <NumberField label="learning rate" path="grpo.learning_rate" step={0.0001} min={0} />
      <NumberField label="warmup steps" path="grpo.warmup_steps" min={0} />
      <NumberField label="weight decay" path="grpo.weight_decay" step={0.01} min={0} />
      <NumberField label="max grad norm" path="grpo.max_grad_norm" step={0.1} min={0} />
    </Section>
  );
}
