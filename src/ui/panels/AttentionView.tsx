/**
 * Attention maps of the inspected rollout: the worker re-runs prompt + completion through the current policy
 * (no gradient) and sends each layer's probabilities after MTA; one layer and head is drawn at a time.
 */
import { useEffect, useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { runModelConfig } from '../../rl/runConfig';
import { attentionStore, useAttention, useRun } from '../../store/appStore';
import { MatrixHeatmap } from '../charts/MatrixHeatmap';
import { SparsityBars } from './SparsityBars';

export function AttentionView() {
  const id = useId();
  const rollout = useRun((s) => s.rollouts[s.selection.rollout] ?? null);
  const index = useRun((s) => s.selection.rollout);
  const activation = useRun((s) => runModelConfig(s.applied).activation);
  const { maps, loading, error, forRollout } = useAttention(useShallow((s) => ({ maps: s.data, loading: s.loading, error: s.error, forRollout: s.rollout })));
  const [layer, setLayer] = useState(0);
  const [head, setHead] = useState(0);
  useEffect(() => {
    void attentionStore().getState().load(rollout);
  }, [rollout]);

  if (!rollout) return <p className="muted empty-note">Train an iteration and pick a rollout in the group view to see its attention.</p>;
  const current = forRollout === rollout ? maps : null;
  const nLayer = current?.maps.length ?? 0;
  const nHead = current?.nHead ?? 0;
  const l = Math.min(layer, Math.max(0, nLayer - 1));
  const h = Math.min(head, Math.max(0, nHead - 1));
  const T = current?.labels.length ?? 0;
  return (
    <div className="inspector-block">
      <div className="inspector-controls">
        <span className="group-meta">
          rollout {index + 1} · group {rollout.group} · <span className="mono">{rollout.prompt}</span>→<span className="mono">{rollout.completion || '∅'}</span> ·
          current policy
        </span>
        <label className="inline-control" htmlFor={`${id}-layer`}>
          layer
          <select id={`${id}-layer`} aria-label="Attention layer" value={l} onChange={(e) => setLayer(Number(e.target.value))} disabled={!nLayer}>
            {Array.from({ length: nLayer }, (_, i) => (
              <option key={i} value={i}>
                {i}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-control" htmlFor={`${id}-head`}>
          head
          <select id={`${id}-head`} aria-label="Attention head" value={h} onChange={(e) => setHead(Number(e.target.value))} disabled={!nHead}>
            {Array.from({ length: nHead }, (_, i) => (
              <option key={i} value={i}>
                {i}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && forRollout === rollout ? (
        <p className="inline-problem" role="alert">
          Attention maps could not be computed: {error}
        </p>
      ) : !current ? (
        <p className="muted empty-note">{loading ? 'Computing attention maps…' : 'No attention maps yet.'}</p>
      ) : (
        <figure className="attention-figure">
          <MatrixHeatmap
            values={current.maps[l].subarray(h * T * T, (h + 1) * T * T)}
            rows={T}
            cols={T}
            rowLabels={current.labels}
            colLabels={current.labels}
            rowName="query"
            colName="key"
            scale="probability"
            cell={T > 24 ? 12 : 18}
            label={`Attention map, layer ${l}, head ${h}: ${T} tokens`}
          />
          <figcaption className="muted">rows: query position (attends from) · columns: key position (attends to) · darker = more attention</figcaption>
          <h3 className="subhead">FFN sparsity (this sequence)</h3>
          <SparsityBars values={current.ffnSparsity} activation={activation} />
        </figure>
      )}
    </div>
  );
}
