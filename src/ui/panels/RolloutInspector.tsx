/**
 * One rollout token by token, coloured by probability, entropy, policy ratio, advantage, advantage contribution or
 * KL to the reference, with each token's numbers on hover or focus, and the verifier / judge rationales behind its
 * reward.
 */
import { useMemo, useState } from 'react';
import { CharTokenizer } from '../../model/tokenizer';
import { getTask } from '../../rl/tasks/registry';
import { STEP_SEPARATOR } from '../../rl/tasks/multiStep';
import { displayThink, thinkBudget } from '../../rl/tasks/think';
import { thinkTokens } from '../../rl/reasoning/thinkBudget';
import { useRun } from '../../store/appStore';
import { StepValues } from './StepValues';
import { textOn, tokenColor, tokenValue, type TokenColorMode } from '../charts/tokenColor';
import { useTokenStats } from './useTokenStats';

const MODES: Record<TokenColorMode, string> = {
  probability: 'probability',
  entropy: 'entropy',
  ratio: 'ratio',
  advantage: 'advantage',
  contribution: 'A × weight',
  kl: 'KL',
};

export function RolloutInspector() {
  const task = useRun((s) => s.applied.task);
  const epsilon = useRun((s) => s.applied.grpo.epsilon);
  const epsilonHigh = useRun((s) => s.applied.grpo.epsilon_high);
  const [chosen, setChosen] = useState<TokenColorMode>('probability');
  const { rollout, stats, scale: batchScale, ratios } = useTokenStats(chosen === 'ratio');
  const [active, setActive] = useState<number | null>(null);
  const tokenizer = useMemo(() => new CharTokenizer(getTask(task).alphabet), [task]);
  // Step values need completions written as explicit steps.
  const showSteps = getTask(task).alphabet.includes(STEP_SEPARATOR);
  if (!rollout) {
    return (
      <section className="panel" aria-labelledby="inspector-title">
        <header className="panel-header">
          <h2 id="inspector-title">Rollout inspector</h2>
        </header>
        <p className="muted empty-note">Pick a rollout in the group view.</p>
      </section>
    );
  }
  const scale = { ...batchScale, maxEntropy: Math.log(tokenizer.vocabSize) };
  // KL needs a reference policy (beta > 0); without one the KL choice is hidden and falls back to probability.
  const modes = (Object.keys(MODES) as TokenColorMode[]).filter((m) => m !== 'kl' || rollout.refLogprobs);
  const mode = modes.includes(chosen) ? chosen : 'probability';
  const clip = [1 - epsilon, 1 + epsilonHigh];
  const t = active !== null && active < rollout.tokens.length ? active : null;
  const ratio = t === null ? undefined : stats[t].ratio;
  return (
    <section className="panel" aria-labelledby="inspector-title">
      <header className="panel-header">
        <h2 id="inspector-title">Rollout inspector</h2>
        <div role="radiogroup" aria-label="Colour tokens by" className="segmented">
          {modes.map((m) => (
            <label key={m}>
              <input type="radio" name="token-color" value={m} checked={mode === m} onChange={() => setChosen(m)} />
              {MODES[m]}
            </label>
          ))}
        </div>
      </header>
      <p className="group-meta">
        group {rollout.group} · prompt <span className="mono">{rollout.prompt}</span> · gold <span className="mono">{rollout.gold}</span> · answer{' '}
        <span className="mono">{rollout.answer ?? '∅'}</span> · reward {rollout.reward.toFixed(3)} · advantage {rollout.advantage.toFixed(3)}
      </p>
      {task === thinkBudget.name && (
        <p className="group-meta" aria-label="Think view">
          <span className="mono">{displayThink(rollout.prompt + rollout.completion)}</span> · {thinkTokens(rollout.completion)} think tokens
        </p>
      )}
      {mode === 'ratio' && (
        <p className="group-meta" role="status" aria-label="Policy ratio">
          {ratios.error ? (
            <span className="inline-problem">Ratios could not be computed: {ratios.error}</span>
          ) : ratios.iteration === null ? (
            'Scoring this rollout under the current policy…'
          ) : (
            `ratio π_θ/π_sample: the policy after iteration ${ratios.iteration} over the one that sampled this rollout in iteration ${rollout.iteration + 1} · blue raised, red lowered`
          )}
        </p>
      )}
      <div className="tokens mono" aria-label="Completion tokens">
        <span className="prompt-text">{rollout.prompt}</span>
        {rollout.tokens.map((id, i) => {
          const bg = tokenColor(mode, tokenValue(mode, stats[i]), scale);
          const text = tokenizer.tokenText(id);
          return (
            <span
              key={i}
              className="token"
              tabIndex={0}
              data-active={t === i || undefined}
              style={{ backgroundColor: bg, color: textOn(bg) }}
              aria-label={`token ${i + 1}: ${text}, probability ${Math.exp(rollout.logprobs[i]).toFixed(3)}`}
              onPointerEnter={() => setActive(i)}
              onFocus={() => setActive(i)}
            >
              {text === '\n' ? '⏎' : text}
            </span>
          );
        })}
      </div>
      <div className="token-tooltip mono" role="status" aria-label="Token details">
        {t === null ? (
          <span className="muted">Hover or focus a token for its numbers.</span>
        ) : (
          <>
            <span>
              token {t + 1} <strong>{JSON.stringify(tokenizer.tokenText(rollout.tokens[t]))}</strong>
            </span>
            <span>p {Math.exp(rollout.logprobs[t]).toFixed(4)}</span>
            <span>logprob {rollout.logprobs[t].toFixed(4)}</span>
            {ratio !== undefined && (
              <span>
                ratio {ratio.toFixed(4)} · {ratio < clip[0] || ratio > clip[1] ? 'outside' : 'inside'} clip range [{clip[0].toFixed(3)}, {clip[1].toFixed(3)}]
              </span>
            )}
            {rollout.refLogprobs && (
              <>
                <span>ref logprob {rollout.refLogprobs[t].toFixed(4)}</span>
                <span>KL (k3) {stats[t].kl?.toFixed(5)}</span>
              </>
            )}
            <span>entropy {rollout.entropies[t].toFixed(4)}</span>
            <span>advantage {rollout.advantage.toFixed(4)}</span>
            <span>A × weight {stats[t].contribution?.toPrecision(3)}</span>
          </>
        )}
      </div>
      {showSteps && <StepValues rollout={rollout} />}
      <table className="verdicts">
        <caption>Why this reward</caption>
        <thead>
          <tr>
            <th scope="col">component</th>
            <th scope="col">score</th>
            <th scope="col">verdict</th>
            <th scope="col">rationale</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(rollout.verdicts).map(([name, v]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td className="mono">{v.score.toFixed(3)}</td>
              <td>{v.label}</td>
              <td>{v.rationale}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
