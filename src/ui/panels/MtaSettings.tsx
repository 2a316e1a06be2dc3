/**
 * Multi-Token Attention knobs (docs/methods.md §1): which layers, the pre- and post-softmax key-query convolutions,
 * key padding, head mixing, group norm, depth scaling and the output gate. Convolutions and head mixing start as
 * identities, so switching them on leaves the untrained model unchanged (group norm and the gate do change it);
 * validation messages appear in the Model section.
 */
import { useId } from 'react';
import type { MtaConfig } from '../../model/config';
import { useRun } from '../../store/appStore';
import { BoolField, CheckField, CheckListField, Field, NumberField, SelectField } from './fields';

/** A kernel size to start from when a convolution is switched on: the paper's toy task (c_q 2, odd c_k). */
const NEW_CONV = { cq: 2, ck: 3 };

/** One checkbox per layer; past this many the list would be unusable, and no preset comes close. */
const MAX_LAYER_BOXES = 64;

function ConvFields({ which, label, hint }: { which: 'preConv' | 'postConv'; label: string; hint: string }) {
  const on = useRun((s) => Boolean(s.draft.model.mta?.[which]));
  const edit = useRun((s) => s.edit);
  const path = `model.mta.${which}`;
  const short = which === 'preConv' ? 'pre' : 'post';
  return (
    <>
      <CheckField label={label} checked={on} onChange={(v) => edit(path, v ? NEW_CONV : null)} hint={hint} />
      {on && (
        <>
          <NumberField label={`${short} c_q (query rows)`} path={`${path}.cq`} min={1} hint="this query and c_q − 1 earlier ones" />
          <NumberField label={`${short} c_k (keys)`} path={`${path}.ck`} min={1} hint="odd when padding is both" />
        </>
      )}
    </>
  );
}

function HeadMixPostField({ nHead }: { nHead: number }) {
  const id = useId();
  const value = useRun((s) => s.draft.model.mta?.headMixPost ?? 'none');
  const edit = useRun((s) => s.edit);
  const mode = typeof value === 'number' ? 'grouped' : value;
  const pick = (m: string) => {
    // Grouped starts from the smallest real grouping the current head count allows.
    const groupSize = [2, nHead].find((c) => nHead % c === 0) ?? 1;
    const next: MtaConfig['headMixPost'] = m === 'grouped' ? groupSize : m === 'linear' ? 'linear' : 'none';
    edit('model.mta.headMixPost', next);
  };
  return (
    <>
      <Field id={id} label="post-softmax head mixing" hint="mixes the attention probabilities across heads">
        <select id={id} value={mode} onChange={(e) => pick(e.target.value)}>
          <option value="none">none</option>
          <option value="linear">linear (full H×H)</option>
          <option value="grouped">grouped</option>
        </select>
      </Field>
      {mode === 'grouped' && <NumberField label="head group size c_h" path="model.mta.headMixPost" min={1} hint="heads mixed together; must divide the head count" />}
    </>
  );
}

export function MtaSettings({ nLayer, nHead }: { nLayer: number; nHead: number }) {
  const chosen = useRun((s) => s.draft.model.mta?.layers) ?? [];
  const count = Number.isInteger(nLayer) && nLayer > 0 ? Math.min(nLayer, MAX_LAYER_BOXES) : 0;
  // Layers checked but no longer in the model stay listed, so their problem can be fixed by unchecking them.
  const layers = [...new Set([...Array.from({ length: count }, (_, l) => l), ...chosen])].sort((a, b) => a - b);
  return (
    <>
      <CheckListField
        label="MTA layers"
        path="model.mta.layers"
        options={layers.map((l) => ({ value: l, label: l < count ? `layer ${l}` : `layer ${l} (not in the model)` }))}
        hint="Layers whose attention gets the key-query convolutions. None checked = every layer. With head mixing on, the other layers still mix heads and apply group norm and the gate."
      />
      <ConvFields
        which="preConv"
        label="pre-softmax key-query convolution"
        hint="Convolves the attention logits over nearby query rows and keys, so one score can combine several query–key matches."
      />
      <ConvFields
        which="postConv"
        label="post-softmax key-query convolution"
        hint="The same convolution on the attention probabilities (rows are not renormalised)."
      />
      <SelectField
        label="key padding"
        path="model.mta.padKey"
        options={[
          { value: 'both', label: 'both (centred window)' },
          { value: 'left', label: 'left (earlier keys)' },
          { value: 'right', label: 'right (later keys)' },
        ]}
        hint="Where the c_k window sits around each key; query rows only look back, so no future token leaks."
      />
      <BoolField label="pre-softmax head mixing (full H×H)" path="model.mta.headMixPre" hint="Each head's logits become a learned mix of all heads' logits." />
      <HeadMixPostField nHead={nHead} />
      <BoolField label="group norm" path="model.mta.groupNorm" hint="Per-head RMSNorm of the attention output before the output projection." />
      <BoolField label="depth scaling" path="model.mta.depthScale" hint="Scales the group-normed output by 1 − λ(l), λ(l) = 0.8 − 0.6·exp(−0.3·l); needs group norm." />
      <SelectField
        label="output gate"
        path="model.mta.gate"
        options={[
          { value: 'none', label: 'none' },
          { value: '1d', label: '1d (one per head)' },
          { value: 'full', label: 'full (one per channel)' },
        ]}
        hint="Sigmoid gate on each head's output."
      />
    </>
  );
}
