/**
 * Labelled form controls bound to a path in the draft run config. Native inputs keep them keyboard accessible;
 * number fields keep the text being typed locally, so an intermediate state like "0." is not rewritten under the
 * cursor, while the draft gets the parsed value (NaN when unparseable, which validation then names).
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import { useRun } from '../../store/appStore';
import { getIn } from '../../store/configEdit';

function useDraftValue<T>(path: string): T {
  return useRun((s) => getIn(s.draft, path) as T);
}

interface FieldProps {
  label: string;
  path: string;
  hint?: string;
}

export function Field({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <small className="field-hint">{hint}</small>}
    </div>
  );
}

/** `fallback` is shown while the path is unset (a model size the preset decides, a reward weight that is off). */
export function NumberField({ label, path, hint, step = 1, min, max, fallback }: FieldProps & { step?: number; min?: number; max?: number; fallback?: number }) {
  const id = useId();
  const value = useDraftValue<number | undefined>(path) ?? fallback ?? Number.NaN;
  const edit = useRun((s) => s.edit);
  const [text, setText] = useState(String(value));
  useEffect(() => {
    // Follow outside changes (presets, hash, apply) unless the local text already means the same number.
    setText((t) => (Number(t) === value && t.trim() !== '' ? t : Number.isFinite(value) ? String(value) : t));
  }, [value]);
  return (
    <Field id={id} label={label} hint={hint}>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        step={step}
        min={min}
        max={max}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          edit(path, e.target.value.trim() === '' ? Number.NaN : Number(e.target.value));
        }}
      />
    </Field>
  );
}

/** `fallback` is shown while the path is unset (the default the config fills in). */
export function SelectField<T extends string | number>({
  label,
  path,
  hint,
  options,
  fallback,
}: FieldProps & { options: ReadonlyArray<{ value: T; label: string }>; fallback?: T }) {
  const id = useId();
  const value = useDraftValue<T | undefined>(path) ?? fallback;
  const edit = useRun((s) => s.edit);
  return (
    <Field id={id} label={label} hint={hint}>
      <select
        id={id}
        value={String(value)}
        onChange={(e) => {
          const opt = options.find((o) => String(o.value) === e.target.value);
          if (opt) edit(path, opt.value);
        }}
      >
        {options.map((o) => (
          <option key={String(o.value)} value={String(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function CheckField({ label, checked, onChange, hint }: { label: string; checked: boolean; onChange(v: boolean): void; hint?: string }) {
  const id = useId();
  return (
    <div className="field field-check">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
      {hint && <small className="field-hint">{hint}</small>}
    </div>
  );
}

/** A checkbox bound to a boolean at `path`. */
export function BoolField({ label, path, hint }: FieldProps) {
  const checked = useDraftValue<boolean | undefined>(path) === true;
  const edit = useRun((s) => s.edit);
  return <CheckField label={label} checked={checked} onChange={(v) => edit(path, v)} hint={hint} />;
}

/** One checkbox per option, bound to the list of chosen values at `path` (kept in option order). */
export function CheckListField<T extends string | number>({ label, path, hint, options }: FieldProps & { options: ReadonlyArray<{ value: T; label: string }> }) {
  const chosen = useDraftValue<T[] | undefined>(path) ?? [];
  const edit = useRun((s) => s.edit);
  const toggle = (value: T, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(value);
    else next.delete(value);
    edit(path, options.map((o) => o.value).filter((v) => next.has(v)));
  };
  return (
    <fieldset className="field field-wide field-checks">
      <legend>{label}</legend>
      <div className="field-checks-options">
        {options.map((o) => (
          <label key={String(o.value)}>
            <input type="checkbox" checked={chosen.includes(o.value)} onChange={(e) => toggle(o.value, e.target.checked)} />
            {o.label}
          </label>
        ))}
      </div>
      {hint && <small className="field-hint">{hint}</small>}
    </fieldset>
  );
}

export function TextField({ label, path, hint }: FieldProps) {
  const id = useId();
  const value = useDraftValue<string>(path);
  const edit = useRun((s) => s.edit);
  return (
    <Field id={id} label={label} hint={hint}>
      <input id={id} type="text" value={value} onChange={(e) => edit(path, e.target.value)} />
    </Field>
  );
}

/** The validation messages of one settings section, announced politely as they change. */
export function Problems({ items }: { items: string[] }) {
  if (!items.length) return null;
  return (
    <ul className="problems" role="alert">
      {items.map((p) => (
        <li key={p}>{p}</li>
      ))}
    </ul>
  );
}

export function Section({ title, problems, children }: { title: string; problems: string[]; children: ReactNode }) {
  return (
    <fieldset className="settings-section" data-invalid={problems.length > 0 || undefined}>
      <legend>{title}</legend>
      <div className="field-grid">{children}</div>
      <Problems items={problems} />
    </fieldset>
  );
}
