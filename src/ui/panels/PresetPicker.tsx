/** Ready-made experiments; picking one replaces the settings (and the URL) and shows what to watch. */
import { PRESETS, presetRun } from '../../store/presets';
import { judgeStore, runStore, useRun } from '../../store/appStore';
import type { Preset } from '../../store/presets';

function pick(p: Preset) {
  runStore().getState().setDraft(presetRun(p), p.id);
  const judges = judgeStore().getState();
  if (p.judge === 'shipped-reversal' && !judges.judge) void judges.loadShipped();
}

export function PresetPicker() {
  const presetId = useRun((s) => s.presetId);
  return (
    <section className="presets" aria-labelledby="presets-title">
      <h2 id="presets-title">Presets</h2>
      <div className="preset-list" role="group" aria-label="Presets">
        {PRESETS.map((p) => (
          <button
            key={p.id}
            type="button"
            className="preset"
            aria-pressed={presetId === p.id}
            onClick={() => pick(p)}
          >
            {p.title}
          </button>
        ))}
      </div>
    </section>
  );
}

/** The chosen preset's "what to watch", shown above the charts while its settings are in use. */
export function WatchNote() {
  const presetId = useRun((s) => s.presetId);
  const preset = PRESETS.find((p) => p.id === presetId);
  if (!preset) return null;
  return (
    <aside className="watch-note" aria-label="What to watch">
      <strong>{preset.title}: what to watch.</strong> {preset.watch}
    </aside>
  );
}
