/**
 * One rollout token by token, coloured by probability, entropy or advantage, with each token's numbers on hover or
 * focus, and the verifier / judge rationales behind its reward.
 */
import { useMemo, useState } from 'react';
import { CharTokenizer } from '../../model/tokenizer';
import { getTask } from '../../rl/tasks/registry';
import { STEP_SEPARATOR } from '../../rl/tasks/multiStep';
import { useRun } from '../../store/appStore';
import { StepValues } from './StepValues';
import { textOn, tokenColor, tokenValue, type TokenColorMode } from '../charts/tokenColor';

const MODES: TokenColorMode[] = ['probability', 'entropy', 'advantage'];

/** k3 estimate of KL(π‖π_ref) at one token, as the loss uses it. */
const k3 = (logp: number, ref: number) => Math.exp(ref - logp) - (ref - logp) - 1;

export function RolloutInspector() {
  const rollout = useRun((s) => s.rollouts[s.selection.rollout] ?? null);
  const task = useRun((s) => s.applied.task);
  const maxAbsAdvantage = useRun((s) => s.rollouts.reduce((m, r) => Math.max(m, Math.abs(r.advantage)), 0));
  const [mode, setMode] = useState<TokenColorMode>('probability');
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
  const scale = { maxEntropy: Math.log(tokenizer.vocabSize), maxAbsAdvantage };
  const t = active !== null && active < rollout.tokens.length ? active : null;
  return (
    <section className="panel" aria-labelledby="inspector-title">
      <header className="panel-header">
        <h2 id="inspector-title">Rollout inspector</h2>
        <div role="radiogroup" aria-label="Colour tokens by" className="segmented">
          {MODES.map((m) => (
            <label key={m}>
              <input type="radio" name="token-color" value={m} checked={mode === m} onChange={() => setMode(m)} />
              {m}
            </label>
          ))}
        </div>
      </header>
      <p className="group-meta">
        group {rollout.group} · prompt <span className="mono">{rollout.prompt}</span> · gold <span className="mono">{rollout.gold}</span> · answer{' '}
        <span className="mono">{rollout.answer ?? '∅'}</span> · reward {rollout.reward.toFixed(3)} · advantage {rollout.advantage.toFixed(3)}
      </p>
      <div className="tokens mono" aria-label="Completion tokens">
        <span className="prompt-text">{rollout.prompt}</span>
        {rollout.tokens.map((id, i) => {
          const bg = tokenColor(mode, tokenValue(mode, rollout.logprobs[i], rollout.entropies[i], rollout.advantage), scale);
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
            {rollout.refLogprobs && (
              <>
                <span>ref logprob {rollout.refLogprobs[t].toFixed(4)}</span>
                <span>KL (k3) {k3(rollout.logprobs[t], rollout.refLogprobs[t]).toFixed(5)}</span>
              </>
            )}
            <span>entropy {rollout.entropies[t].toFixed(4)}</span>
            <span>advantage {rollout.advantage.toFixed(4)}</span>
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
