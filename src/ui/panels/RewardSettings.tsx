/** Reward component weights and the biased judge's dials (for watching reward hacking). */
import { REWARD_NAMES } from '../../rl/rewards';
import { useRun } from '../../store/appStore';
import { NumberField, Section, TextField } from './fields';
import { OnnxJudgeSettings } from './OnnxJudgeSettings';

const HINTS: Record<string, string> = {
  correct: 'rule verifier',
  format: 'an answer is extractable',
  length: '−length / max',
  overlong: 'DAPO soft overlong',
  judge: 'biased judge below',
  model_judge: 'P(yes) of the ONNX judge below',
  think_easy: '−think tokens / max, easy prompts only',
};

export function RewardSettings() {
  const problems = useRun((s) => s.problems.rewards);
  const judgeOn = useRun((s) => Boolean(s.draft.rewards.weights.judge));
  return (
    <Section title="Rewards" problems={problems}>
      {REWARD_NAMES.map((name) => (
        <NumberField key={name} label={`weight: ${name}`} path={`rewards.weights.${name}`} step={0.1} fallback={0} hint={HINTS[name]} />
      ))}
      <NumberField label="overlong cache" path="rewards.overlongCache" min={0} hint="tokens before the limit" />
      {judgeOn && (
        <>
          <NumberField label="judge: length bias" path="rewards.judge.lengthBias" step={0.01} hint="per character" />
          <NumberField label="judge: keyword bonus" path="rewards.judge.keywordBias" step={0.1} />
          <TextField label="judge: keyword" path="rewards.judge.keyword" />
          <NumberField label="judge: flip noise" path="rewards.judge.noise" step={0.05} min={0} max={1} />
          <NumberField label="judge: seed" path="rewards.judge.seed" min={0} />
        </>
      )}
      <OnnxJudgeSettings />
    </Section>
  );
}
