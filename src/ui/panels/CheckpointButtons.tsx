/**
 * Checkpoint export (config.json + model.safetensors, the format of docs/checkpoint.md), import of the same
 * two files, and ONNX export of the policy (checked in onnxruntime-web before it is offered). The browser downloads from a blob: URL, so nothing leaves the machine.
 */
import { useState } from 'react';
import { runStore, useRun } from '../../store/appStore';
import { download } from './download';
import { FileButton } from './FileButton';

export function CheckpointButtons({ disabled }: { disabled: boolean }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [onnxStatus, setOnnxStatus] = useState<string | null>(null);
  // Runs that train a judge can export it too.
  const trainsJudge = useRun((s) => s.draft.algorithm === 'j1' || s.draft.algorithm === 'onpolicy-rm');

  const exportOnnx = async (what: 'policy' | 'judge') => {
    setOnnxStatus('exporting and checking in onnxruntime-web…');
    const store = runStore().getState();
    const result = await (what === 'policy' ? store.exportOnnx() : store.exportJudgeOnnx());
    if (!result) {
      setOnnxStatus(null);
      return;
    }
    download(`${what}.onnx`, new Uint8Array(result.onnx), 'application/octet-stream');
    setOnnxStatus(`${what}.onnx verified in onnxruntime-web: max |Δ logit| = ${result.maxAbsDiff.toExponential(1)} over ${result.sampleLength} tokens`);
  };

  const exportFiles = async () => {
    const files = await runStore().getState().exportCheckpoint();
    if (!files) return;
    download('config.json', files.configJson, 'application/json');
    download('model.safetensors', new Uint8Array(files.weights), 'application/octet-stream');
  };

  const importFiles = async (files: File[]) => {
    const config = files.find((f) => f.name.endsWith('.json'));
    const weights = files.find((f) => f.name.endsWith('.safetensors'));
    if (!config || !weights) {
      setProblem('Pick both files of a checkpoint: config.json and model.safetensors.');
      return;
    }
    setProblem(null);
    await runStore().getState().importCheckpoint({ configJson: await config.text(), weights: new Uint8Array(await weights.arrayBuffer()) });
  };

  return (
    <span className="checkpoint-buttons">
      <button type="button" disabled={disabled} onClick={() => void exportFiles()}>
        Export checkpoint
      </button>
      <button type="button" disabled={disabled} onClick={() => void exportOnnx('policy')}>
        Export ONNX
      </button>
      {trainsJudge && (
        <button type="button" disabled={disabled} onClick={() => void exportOnnx('judge')}>
          Export judge (.onnx)
        </button>
      )}
      <FileButton label="Import checkpoint…" accept=".json,.safetensors" disabled={disabled} onFiles={(files) => void importFiles(files)} />
      {onnxStatus && (
        <span className="inline-note" role="status" data-testid="onnx-status">
          {onnxStatus}
        </span>
      )}
      {problem && (
        <span className="inline-problem" role="alert">
          {problem}
        </span>
      )}
    </span>
  );
}
