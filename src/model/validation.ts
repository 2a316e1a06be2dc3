/**
 * Building blocks of the config schemas (zod) whose messages a person can act on: every problem as
 * "path: what is wrong (got value)", ranges spelled out, unknown keys with the nearest valid one, and the
 * JavaScript prototype names refused before anything copies them.
 */
import * as z from 'zod';

/** Keys that would reach an object's prototype when assigned; never copied, always refused. */
export const RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** The largest finite f32: numbers the device sees as f32 must not exceed it. */
export const F32_MAX = 3.4028234663852886e38;

/** Longer values are cut in messages, so a hostile file cannot flood the page with its own text. */
const SHOWN_CHARS = 40;

/** A value as a message shows it: strings quoted (so "0.001" reads as text, not a number), long ones cut. */
export function show(v: unknown): string {
  let text: string;
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') text = JSON.stringify(v);
  else if (typeof v === 'number' || typeof v === 'boolean' || v === null) text = String(v);
  else if (Array.isArray(v)) text = 'a list';
  else text = typeof v === 'object' ? 'an object' : typeof v;
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}

/** Messages of the checks that have none of their own, in the same "(got …)" style. */
z.config({
  customError: (iss) => {
    if (iss.code === 'invalid_type') return `must be ${iss.expected === 'int' ? 'an integer' : `a ${iss.expected}`} (got ${show(iss.input)})`;
    if (iss.code === 'too_big') return `must be at most ${String(iss.maximum)}${iss.origin === 'array' ? ' items' : iss.origin === 'string' ? ' characters' : ''}`;
    if (iss.code === 'too_small') return `must be at least ${String(iss.minimum)}${iss.origin === 'array' ? ' items' : iss.origin === 'string' ? ' characters' : ''}`;
    if (iss.code === 'invalid_value') return `must be ${iss.values.map((v) => JSON.stringify(v)).join(' or ')} (got ${show(iss.input)})`;
    return undefined;
  },
});

/**
 * A key as a message shows it: plain names as they are, anything else quoted and cut, so an empty key, a key with
 * spaces or a line break cannot blur the path or start a fake line of its own.
 */
export function keyText(key: PropertyKey): string {
  const k = String(key);
  return /^[\w$-]{1,40}$/.test(k) ? k : JSON.stringify(k.length > SHOWN_CHARS ? `${k.slice(0, SHOWN_CHARS)}…` : k);
}

/** A path as messages show it: keys joined by dots. */
export function pathText(path: readonly PropertyKey[]): string {
  return path.map(keyText).join('.');
}

type Message = (input: unknown) => string;
const says = (message: Message) => ({ error: (iss: { input?: unknown }) => message(iss.input) });

/** An integer in [min, max]. */
export function intIn(min: number, max: number, message: Message = (v) => `must be an integer in [${min}, ${max}] (got ${show(v)})`) {
  return z.int(says(message)).min(min, says(message)).max(max, says(message));
}

/** A bound as messages show it: 3.40e+38 rather than all the digits of F32_MAX. */
const bound = (n: number) => (Math.abs(n) >= 1e6 ? n.toPrecision(3) : String(n));

/** A finite number between the bounds; `open` marks the ends that are excluded. */
export function numIn(min: number, max: number, open: { min?: boolean; max?: boolean } = {}, message?: Message) {
  const range = `${open.min ? '(' : '['}${bound(min)}, ${bound(max)}${open.max ? ')' : ']'}`;
  const m = says(message ?? ((v) => `must be a number in ${range} (got ${show(v)})`));
  const low = open.min ? z.number(m).gt(min, m) : z.number(m).min(min, m);
  return open.max ? low.lt(max, m) : low.max(max, m);
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, message: Message = (v) => `must be one of ${values.join(', ')} (got ${show(v)})`) {
  return z.enum(values, says(message));
}

export function flag(message: Message = (v) => `must be true or false (got ${show(v)})`) {
  return z.boolean(says(message));
}

export function text(maxChars: number) {
  const m = says((v) => (typeof v === 'string' ? `must be at most ${maxChars} characters (got ${v.length})` : `must be text (got ${show(v)})`));
  return z.string(m).max(maxChars, m);
}

/**
 * A settings object that refuses keys it does not know, naming the nearest valid one. Each unknown key becomes
 * one line "key: unknown option; did you mean x?"; `problemsOf` prefixes each line with the object's path.
 */
export function options<T extends z.ZodRawShape>(shape: T, what = 'an object of settings') {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code === 'unrecognized_keys') return iss.keys.map((k) => `${keyText(k)}: ${unknownKey(k, known)}`).join('\n');
      return `must be ${what} (got ${show(iss.input)})`;
    },
  });
}

/** "unknown option; did you mean …?" with the closest of `known` when one is close enough to be a typo. */
export function unknownKey(key: string, known: readonly string[]): string {
  if (RESERVED_KEYS.includes(key)) return 'reserved name, not an option';
  const best = nearest(key, known);
  return best === null ? `unknown option (options: ${known.join(', ')})` : `unknown option; did you mean ${best}?`;
}

/** The known key with the smallest edit distance, if within a third of the key's length (at least 2 edits). */
export function nearest(key: string, known: readonly string[]): string | null {
  const k = key.toLowerCase().slice(0, 64);
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(k.length / 3)) + 1;
  for (const candidate of known) {
    const d = editDistance(k, candidate.toLowerCase());
    // A short option a key shares nothing with (every character edited) is no typo of it ("" vs "j1").
    if (d < bestDistance && d < candidate.length) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/**
 * `when` of a cross-field rule: run it when the value is an object and the fields the rule reads passed their own
 * checks, whatever else failed.
 * (zod skips every rule of an object once one of its fields has the wrong type; runRules in runConfig.ts
 * covers what spans sections.)
 */
export const whenValid =
  (...fields: string[]) =>
  (payload: { issues: ReadonlyArray<{ path?: PropertyKey[] }> }) =>
    payload.issues.every((i) => i.path !== undefined && i.path.length > 0 && !fields.includes(String(i.path[0])));

/** Every problem of a parse as "path: message", in the schema's order (empty when it passed). */
export function problemsOf(result: { success: boolean; error?: z.ZodError }, prefix: ReadonlyArray<PropertyKey> = []): string[] {
  if (result.success || !result.error) return [];
  return result.error.issues.flatMap((issue) => {
    const path = pathText([...prefix, ...issue.path]);
    if (issue.code === 'unrecognized_keys') return issue.message.split('\n').map((line) => (path ? `${path}.${line}` : line));
    return [path ? `${path}: ${issue.message}` : issue.message];
  });
}

/**
 * Paths of prototype names anywhere in parsed JSON, as problems. Looked for before any merging, which could
 * otherwise assign them; the walk stops at `maxDepth` (the schemas are shallower, deeper keys are refused as
 * unknown anyway).
 */
export function reservedKeyProblems(value: unknown, maxDepth = 8, path: string[] = []): string[] {
  if (typeof value !== 'object' || value === null || path.length >= maxDepth) return [];
  return Object.keys(value).flatMap((k) =>
    RESERVED_KEYS.includes(k)
      ? [`${pathText([...path, k])}: reserved name, not an option`]
      : reservedKeyProblems((value as Record<string, unknown>)[k], maxDepth, [...path, k]),
  );
}
