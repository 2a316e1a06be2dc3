/** Import a run's files (config .json, metrics .jsonl, optional rollouts .jsonl) into the compare list. */
import { useId } from 'react';
import { compareStore } from '../../store/appStore';
import { MAX_OVERLAY } from '../../store/compareStore';

export function RunImportButton() {
  const inputId = useId();
  const importFiles = async (list: FileList | null) => {
    const files = await Promise.all([...(list ?? [])].map(async (f) => ({ name: f.name, text: await f.text() })));
    const run = await compareStore().getState().importFiles(files);
    // Overlay the imported run at once when there is room for it.
    if (run && compareStore().getState().selected.length < MAX_OVERLAY) compareStore().getState().toggle(run.id);
  };
  return (
    <span className="checkpoint-buttons">
      <label htmlFor={inputId} className="file-button">
        Import run…
      </label>
      <input
        id={inputId}
        className="visually-hidden"
        type="file"
        multiple
        accept=".json,.jsonl"
        aria-label="Import run files"
        onChange={(e) => {
          void importFiles(e.target.files);
          e.target.value = '';
        }}
      />
    </span>
  );
}
