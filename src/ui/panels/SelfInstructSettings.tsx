/**
 * Self-instruct's own settings (who proposes, how many proposals and answers, the filter, the seeds and the kept
 * set's size, the proposer's share of the warm-start), then GRPO's, which trains on the kept set.
 */
import { useRun } from '../../store/appStore';
import { NumberField, SelectField } from './fields';
import { GrpoSettings } from './GrpoSettings';

export function SelfInstructSettings() {
  const proposer = useRun((s) => s.draft.selfInstruct.proposer);
  const filter = useRun((s) => s.draft.selfInstruct.filter);
  return (
    <>
      <SelectField
        label="proposer"
        path="selfInstruct.proposer"
        hint="who writes new problems from two seeds"
        options={[
          { value: 'policy', label: 'the policy (proposal template)' },
          { value: 'scripted', label: 'scripted (baseline)' },
        ]}
      />
      {proposer === 'policy' && (
        <>
          <NumberField label="warm-start share of template demos" path="selfInstruct.proposalShare" step={0.05} min={0} max={1} />
          <NumberField label="max proposal length" path="selfInstruct.maxProposalLength" min={1} />
        </>
      )}
      <SelectField
        label="filter"
        path="selfInstruct.filter"
        hint="which proposals GRPO trains on"
        options={[
          { value: 'answer-matching', label: 'answer-matching' },
          { value: 'self-consistency', label: 'self-consistency' },
          { value: 'none', label: 'none' },
        ]}
      />
      {filter === 'self-consistency' && <NumberField label="majority share threshold" path="selfInstruct.threshold" step={0.05} min={0} max={1} />}
      <NumberField label="proposals per round" path="selfInstruct.proposals" min={1} />
      <NumberField label="answers per proposal (K)" path="selfInstruct.answerSamples" min={1} />
      <NumberField label="propose every n iterations" path="selfInstruct.every" min={1} />
      <NumberField label="seed instances" path="selfInstruct.seeds" min={2} />
      <NumberField label="kept set size" path="selfInstruct.pool" min={1} hint="the newest kept proposals GRPO draws from" />
      <GrpoSettings />
    </>
  );
}
