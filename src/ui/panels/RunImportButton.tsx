/** Import a run's files (config .json, metrics .jsonl, optional rollouts .jsonl) into the compare list. */
import { compareStore } from '../../store/appStore';
import { MAX_OVERLAY } from '../../store/compareStore';
import { FileButton } from './FileButton';

export function RunImportButton() {
  const importFiles = async (picked: File[]) => {
    const files = await Promise.all(picked.map(async (f) => ({ name: f.name, text: await f.text() })));
    const run = await compareStore().getState().importFiles(files);
    // Overlay the imported run at once when there is room for it.
    if (run && compareStore().getState().selected.length < MAX_OVERLAY) compareStore().getState().toggle(run.id);
  };
  return (
    <span className="checkpoint-buttons">
      <FileButton label="Import run…" ariaLabel="Import run files" accept=".json,.jsonl" onFiles={(files) => void importFiles(files)} />
    </span>
  );
}
