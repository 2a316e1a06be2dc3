/**
 * The ONNX judge behind the model_judge reward: the shipped reversal judge in one click, or the user's own
 * model + spec (docs/judges.md), checked in the engine worker before it is used. Sits in the Rewards section.
 */
import { useId } from 'react';
import { judgeStore, useJudge, useRun } from '../../store/appStore';

export function OnnxJudgeSettings() {
  const inputId = useId();
  const judge = useJudge((s) => s.judge);
  const loading = useJudge((s) => s.loading);
  const error = useJudge((s) => s.error);
  const weighted = useRun((s) => Boolean(s.draft.rewards.weights.model_judge));
  const j = judgeStore().getState();
  return (
    <div className="onnx-judge" role="group" aria-label="ONNX judge">
      <p className="onnx-judge-status" role="status" aria-label="Loaded ONNX judge">
        {loading ? 'Checking the judge in onnxruntime-web…' : judge ? <><strong>{judge.name}</strong>{judge.description && ` — ${judge.description}`}</> : 'No ONNX judge loaded.'}
      </p>
      {weighted && !judge && !loading && <p className="inline-problem">weight: model_judge needs an ONNX judge: load one here, or set the weight to 0.</p>}
      <div className="button-row">
        <button type="button" onClick={() => void j.loadShipped()} disabled={loading}>
          Use the shipped reversal judge
        </button>
        <label htmlFor={inputId} className="file-button" data-disabled={loading || undefined}>
          Load .onnx + .json…
        </label>
        <input
          id={inputId}
          className="visually-hidden"
          type="file"
          multiple
          accept=".onnx,.json"
          aria-label="Load an ONNX judge"
          disabled={loading}
          onChange={(e) => {
            void j.loadFiles([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
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
