/**
 * Trace-selection distillation's own settings (the run config's `distill` section): the selector, the student's
 * targets, the teacher's pool and the budget, the student's training, and the selectors' parameters.
 */
import { TRACE_SELECTORS } from '../../rl/reasoning/traceSelection';
import { THINK_MODES } from '../../rl/tasks/think';
import { BoolField, NumberField, SelectField } from './fields';

const SELECTOR_LABELS: Record<(typeof TRACE_SELECTORS)[number], string> = {
  random: 'random',
  long: 'long (p ∝ (length/C)^τ)',
  disagreement: 'disagreement (teacher vs answer-only model)',
  diversity: 'strategy diversity (operation patterns)',
};

const TARGET_LABELS: Record<(typeof THINK_MODES)[number], string> = {
  think: 'think, then answer',
  'answer-only': 'answer only',
  mixed: 'mixed (mode token: think on hard prompts)',
};

export function DistillSettings() {
  return (
    <>
      <SelectField label="trace selector" path="distill.selector" hint="how the budget is picked from the teacher's pool" options={TRACE_SELECTORS.map((s) => ({ value: s, label: SELECTOR_LABELS[s] }))} />
      <SelectField label="student targets" path="distill.targets" options={THINK_MODES.map((m) => ({ value: m, label: TARGET_LABELS[m] }))} />
      <NumberField label="teacher pool" path="distill.pool" min={1} hint="traces the teacher samples, once" />
      <NumberField label="budget" path="distill.budget" min={1} hint="traces the student gets in all, a chunk per iteration" />
      <BoolField label="correct traces only" path="distill.correct_only" />
      <NumberField label="student steps per iteration" path="distill.steps_per_iteration" min={0} />
      <NumberField label="student batch" path="distill.batch" min={1} />
      <NumberField label="student learning rate" path="distill.learning_rate" step={0.0001} min={0} />
      <NumberField label="τ (long selector)" path="distill.tau" step={0.5} min={0} />
      <NumberField label="C (long selector)" path="distill.length_scale" min={0} hint="0 = the pool's longest trace" />
      <NumberField label="second model steps" path="distill.second_steps" min={0} hint="warm-start of the answer-only model the disagreement selector compares with" />
    </>
  );
}
