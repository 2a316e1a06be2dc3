/**
 * Semi-online DPO's own settings (the run config's `dpo` section, docs/dpo.md): β, the generator's sync interval
 * (or offline), π_ref's sync and the pair rule. Sampling comes from the Rollout settings and the optimizer from the
 * shared fields below these in the Algorithm section.
 */
import { useRun } from '../../store/appStore';
import { CheckField, NumberField, SelectField } from './fields';

export function DpoSettings() {
  const syncInterval = useRun((s) => s.draft.dpo.sync_interval);
  const refSync = useRun((s) => s.draft.dpo.ref_sync);
  const edit = useRun((s) => s.edit);
  return (
    <>
      <NumberField label="beta (DPO)" path="dpo.beta" step={0.05} min={0} hint="scale of the implicit reward β·log π/π_ref" />
      <CheckField label="offline (generator never synced, s = ∞)" checked={syncInterval === 'offline'} onChange={(on) => edit('dpo.sync_interval', on ? 'offline' : 1)} />
      {syncInterval !== 'offline' && <NumberField label="sync interval s" path="dpo.sync_interval" min={1} hint="optimizer steps between generator syncs; 1 = online" />}
      <CheckField label="sync π_ref with the generator" checked={refSync} onChange={(v) => edit('dpo.ref_sync', v)} hint="off: π_ref stays the initial policy" />
      <SelectField
        label="pairs"
        path="dpo.pairs"
        hint="one pair per prompt"
        options={[
          { value: 'random', label: 'random correct vs incorrect' },
          { value: 'best_worst', label: 'best vs worst reward' },
        ]}
      />
    </>
  );
}
