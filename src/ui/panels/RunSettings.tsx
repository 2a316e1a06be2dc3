/** Seed, warm-start, iteration count and held-out evaluation. */
import { useRun } from '../../store/appStore';
import { NumberField, Section } from './fields';

export function RunSettings() {
  const problems = useRun((s) => s.problems.run);
  return (
    <Section title="Run" problems={problems}>
      <NumberField label="seed" path="seed" min={0} />
      <NumberField label="iterations" path="iterations" min={0} hint="of the algorithm" />
      <NumberField label="SFT steps" path="sft.steps" min={0} />
      <NumberField label="SFT batch" path="sft.batch" min={1} />
      <NumberField label="SFT learning rate" path="sft.lr" step={0.0005} min={0} />
      <NumberField label="eval prompts" path="eval.n" min={0} hint="held-out set" />
      <NumberField label="eval every" path="eval.every" min={1} hint="iterations" />
    </Section>
  );
}
