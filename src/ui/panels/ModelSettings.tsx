/** Policy size (preset, layers, heads, width), Multi-Token Attention and the FFN activation (incl. stochA). */
import { useId } from 'react';
import { defaultMta, presetConfig, type PresetName } from '../../model/config';
import { runStore, useRun } from '../../store/appStore';
import { CheckField, NumberField, Section, SelectField } from './fields';

const PRESETS: PresetName[] = ['tiny', 'small', 'medium'];

export function ModelSettings() {
  const id = useId();
  const preset = useRun((s) => s.draft.model.preset);
  const mtaOn = useRun((s) => Boolean(s.draft.model.mta));
  const activation = useRun((s) => s.draft.model.activation ?? 'silu');
  const edit = useRun((s) => s.edit);
  const problems = useRun((s) => s.problems.model);
  const size = presetConfig(PRESETS.includes(preset) ? preset : 'tiny', 1);
  const pickPreset = (p: PresetName) => {
    const { draft, setDraft } = runStore().getState();
    // The preset decides the size: drop explicit layers/heads/width so they follow it.
    const { nLayer: _l, nHead: _h, nEmbd: _e, ffnHidden: _f, ...rest } = draft.model;
    void [_l, _h, _e, _f];
    setDraft({ ...draft, model: { ...rest, preset: p } });
  };
  return (
    <Section title="Model" problems={problems}>
      <div className="field">
        <label htmlFor={id}>preset</label>
        <select id={id} value={preset} onChange={(e) => pickPreset(e.target.value as PresetName)}>
          {PRESETS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </div>
      <NumberField label="layers" path="model.nLayer" min={1} fallback={size.nLayer} />
      <NumberField label="heads" path="model.nHead" min={1} fallback={size.nHead} />
      <NumberField label="width" path="model.nEmbd" min={2} step={2} fallback={size.nEmbd} />
      <NumberField label="context length" path="model.contextLength" min={8} fallback={size.contextLength} hint="prompt + completion tokens" />
      <SelectField
        label="activation"
        path="model.activation"
        options={[
          { value: 'silu', label: 'SILU' },
          { value: 'relu', label: 'RELU' },
          { value: 'gelu', label: 'GELU' },
          { value: 'stochA', label: 'stochA (SILU w.p. p, else RELU)' },
        ]}
      />
      {activation === 'stochA' && <NumberField label="stochA p" path="model.stochP" step={0.05} min={0} max={1} fallback={size.stochP} />}
      <CheckField
        label="Multi-Token Attention (pre-softmax key-query convolution)"
        checked={mtaOn}
        onChange={(on) => edit('model.mta', on ? defaultMta() : null)}
      />
      {mtaOn && (
        <>
          <NumberField label="MTA c_q (query rows)" path="model.mta.preConv.cq" min={1} />
          <NumberField label="MTA c_k (keys, odd)" path="model.mta.preConv.ck" min={1} step={2} />
        </>
      )}
    </Section>
  );
}
