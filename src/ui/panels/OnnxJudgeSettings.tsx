/**
 * The ONNX judge behind the model_judge reward: the shipped reversal judge in one click, or the user's own
 * model + spec (docs/judges.md), checked in the engine worker before it is used. Sits in the Rewards section.
 */
import { judgeStore, useJudge, useRun } from '../../store/appStore';
import { FileButton } from './FileButton';

export function OnnxJudgeSettings() {
  const judge = useJudge((s) => s.judge);
  const loading = useJudge((s) => s.loading);
  const error = useJudge((s) => s.error);
  const weighted = useRun((s) => Boolean(s.draft.rewards.weights.model_judge));
  const j = judgeStore().getState();
  return (
    <div className="onnx-judge" role="group" aria-label="ONNX judge">
      <p className="onnx-judge-status" role="status" aria-label="Loaded ONNX judge">
        {loading ? 'Checking the judge in onnxruntime-web…' : judge ? <><strong>{judge.name}</strong>{judge.description && ` — ${judge.description}`} <span className="muted">(reads up to {judge.maxSequence} tokens)</span></> : 'No ONNX judge loaded.'}
      </p>
      {weighted && !judge && !loading && <p className="inline-problem">weight: model_judge needs an ONNX judge: load one here, or set the weight to 0.</p>}
      <div className="button-row">
        <button type="button" onClick={() => void j.loadShipped()} disabled={loading}>
          Use the shipped reversal judge
        </button>
        <FileButton label="Load .onnx + .json…" ariaLabel="Load an ONNX judge" accept=".onnx,.json" disabled={loading} onFiles={(files) => void j.loadFiles(files)} />
        {judge && (
          <button type="button" onClick={() => void j.unload()} disabled={loading}>
            Remove judge
          </button>
        )}
      </div>
      {error && (
        <p className="inline-problem" role="alert" aria-label="Judge problem">
          {error}
        </p>
      )}
    </div>
  );
}
