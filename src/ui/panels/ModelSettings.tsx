/** Policy size (preset, layers, heads, width), the FFN (kind, activation incl. stochA, Swi+FT) and Multi-Token Attention. */
import { useId } from 'react';
import { defaultMta, presetConfig, type PresetName } from '../../model/config';
import { runStore, useRun } from '../../store/appStore';
import { CheckField, NumberField, Section, SelectField } from './fields';
import { MtaSettings } from './MtaSettings';

const PRESETS: PresetName[] = ['tiny', 'small', 'medium'];

export function ModelSettings() {
  const id = useId();
  const preset = useRun((s) => s.draft.model.preset);
  const mtaOn = useRun((s) => Boolean(s.draft.model.mta));
  const activation = useRun((s) => s.draft.model.activation ?? 'silu');
  const nLayer = useRun((s) => s.draft.model.nLayer);
  const nHead = useRun((s) => s.draft.model.nHead);
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
        label="FFN kind"
        path="model.ffn"
        options={[
          { value: 'mlp', label: 'MLP' },
          { value: 'gated', label: 'gated' },
        ]}
        fallback={size.ffn}
        hint="MLP: W2·act(W1·x); gated: W2·(act(W1·x) ⊙ W3·x), SwiGLU with SILU"
      />
      <SelectField
        label="activation"
        path="model.activation"
        options={[
          { value: 'silu', label: 'SILU' },
          { value: 'relu', label: 'RELU' },
          { value: 'gelu', label: 'GELU' },
          { value: 'stochA', label: 'stochA (SILU w.p. p, else RELU)' },
        ]}
        fallback={size.activation}
      />
      {activation === 'stochA' && (
        <>
          <NumberField label="stochA p" path="model.stochP" step={0.05} min={0} max={1} fallback={size.stochP} hint="probability of SILU" />
          <SelectField
            label="stochA region"
            path="model.stochRegion"
            options={[
              { value: 'negOnly', label: 'x < 0 only (x ≥ 0 passes x)' },
              { value: 'all', label: 'every x' },
            ]}
            fallback={size.stochRegion}
            hint="where SILU-or-RELU is drawn"
          />
          <SelectField
            label="stochA granularity"
            path="model.stochGranularity"
            options={[
              { value: 'element', label: 'per element' },
              { value: 'token', label: 'per token' },
              { value: 'layer', label: 'per layer and sequence' },
            ]}
            fallback={size.stochGranularity}
            hint="how many units share one draw"
          />
        </>
      )}
      <NumberField
        label="Swi+FT fraction"
        path="model.swiFtFraction"
        step={0.05}
        min={0}
        max={0.95}
        fallback={size.swiFtFraction}
        hint="0 = off. Then RELU for this final fraction of the GRPO iterations; the warm-start keeps the chosen activation."
      />
      <CheckField
        label="Multi-Token Attention"
        checked={mtaOn}
        onChange={(on) => edit('model.mta', on ? defaultMta() : null)}
        hint="Attention scores that combine several query–key matches. Identity-initialised: untrained, it equals plain attention."
      />
      {mtaOn && <MtaSettings nLayer={nLayer ?? size.nLayer} nHead={nHead ?? size.nHead} />}
    </Section>
  );
}
