/**
 * Checkpoint export (config.json + model.safetensors, the format of docs/checkpoint.md) and import of the same
 * two files. The browser downloads from a blob: URL, so nothing leaves the machine.
 */
import { useId, useState } from 'react';
import { runStore } from '../../store/appStore';
import { download } from './download';

export function CheckpointButtons({ disabled }: { disabled: boolean }) {
  const inputId = useId();
  const [problem, setProblem] = useState<string | null>(null);

  const exportFiles = async () => {
    const files = await runStore().getState().exportCheckpoint();
    if (!files) return;
    download('config.json', files.configJson, 'application/json');
    download('model.safetensors', new Uint8Array(files.weights), 'application/octet-stream');
  };

  const importFiles = async (list: FileList | null) => {
    const files = [...(list ?? [])];
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
      <label htmlFor={inputId} className="file-button" data-disabled={disabled || undefined}>
        Import checkpoint…
      </label>
      <input
        id={inputId}
        className="visually-hidden"
        type="file"
        multiple
        accept=".json,.safetensors"
        disabled={disabled}
        onChange={(e) => {
          void importFiles(e.target.files);
          e.target.value = '';
        }}
      />
      {problem && (
        <span className="inline-problem" role="alert">
          {problem}
        </span>
      )}
    </span>
  );
}
