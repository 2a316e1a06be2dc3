/**
 * Shared pieces of the fuzz suites: seeded fast-check settings, hostile JSON mutations of valid documents, text
 * and byte mutations, and the one outcome every door must have (a value, or one plain Error with a message).
 */
import fc from 'fast-check';

/** Seeded, so a failure replays; each door runs at least this many cases. */
export const FUZZ = { seed: 0x6e11, numRuns: 1000 } as const;

/**
 * A hang guard, not a speed goal: one input normally takes well under a millisecond; a case over this (CI boxes
 * are shared and slow) means a door loops or blows up on that input.
 */
export const MAX_CASE_MS = 2000;

export type Outcome<T> = { value: T } | { error: string };

function checkThrown(e: unknown): { error: string } {
  if (!(e instanceof Error) || e.constructor !== Error) {
    throw new Error(`threw ${(e as Error)?.constructor?.name ?? typeof e} instead of an Error: ${String((e as Error)?.message ?? e)}`);
  }
  if (!e.message.trim()) throw new Error('threw an Error without a message');
  return { error: e.message };
}

function checkTime(start: number): void {
  const ms = performance.now() - start;
  if (ms > MAX_CASE_MS) throw new Error(`took ${ms.toFixed(0)} ms (more than ${MAX_CASE_MS})`);
}

/** Runs `f`; its value, or the message of the plain Error it threw. Any other exception, or a slow case, fails. */
export function outcome<T>(f: () => T): Outcome<T> {
  const start = performance.now();
  let result: Outcome<T>;
  try {
    result = { value: f() };
  } catch (e) {
    result = checkThrown(e);
  }
  checkTime(start);
  return result;
}

export async function outcomeAsync<T>(f: () => Promise<T>, maxMs = MAX_CASE_MS): Promise<Outcome<T>> {
  const start = performance.now();
  let result: Outcome<T>;
  try {
    result = { value: await f() };
  } catch (e) {
    result = checkThrown(e);
  }
  const ms = performance.now() - start;
  if (ms > maxMs) throw new Error(`took ${ms.toFixed(0)} ms (more than ${maxMs})`);
  return result;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Values a hostile file puts where a setting belongs: numbers as text, huge and odd numbers, wrong shapes, markup. */
export const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>('0.001', '8', '', 'NaN', 'Infinity', '<img src=x onerror=alert(1)>', 1e308, -1e308, 2 ** 53 + 2, -0, 1.5, 0, -1, 1e9, true, false, null, [], {}, [1, 2], { a: 1 }),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 20 }),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
);

/** Keys a hostile file adds: prototype names, typos of real keys, and random text. */
export const hostileKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', ''), fc.string({ maxLength: 12 }));

/** Every path (list of keys) into a JSON document, the root included. */
export function pathsOf(doc: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out = [prefix];
  if (Array.isArray(doc)) doc.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (doc !== null && typeof doc === 'object') for (const [k, v] of Object.entries(doc)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

export type Mutation =
  | { kind: 'replace'; at: number; value: Json }
  | { kind: 'delete'; at: number }
  | { kind: 'addKey'; at: number; key: string; value: Json }
  | { kind: 'typoKey'; at: number; cut: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('addKey' as const), at: fc.nat(), key: hostileKey, value: hostileValue }),
  fc.record({ kind: fc.constant('typoKey' as const), at: fc.nat(), cut: fc.nat() }),
);

/**
 * The JSON text of `doc` after the mutations. Keys are set with defineProperty, so "__proto__" becomes an
 * own key exactly as JSON.parse makes it when a hostile file spells it out.
 */
export function mutateJson(doc: Json, mutations: readonly Mutation[]): string {
  let root = structuredClone(doc);
  for (const m of mutations) {
    const paths = pathsOf(root);
    const path = paths[m.at % paths.length];
    if (path.length === 0) {
      if (m.kind === 'replace') root = m.value;
      continue;
    }
    const parent = path.slice(0, -1).reduce<Json>((o, k) => (o as Record<string, Json>)[k], root) as Record<string, Json>;
    const key = path[path.length - 1];
    const target = parent[key];
    if (m.kind === 'replace') define(parent, key, m.value);
    else if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else if (m.kind === 'addKey') {
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) define(target, m.key, m.value);
    } else if (typeof key === 'string' && !Array.isArray(parent) && key.length > 1) {
      const cut = m.cut % key.length;
      const value = parent[key];
      delete parent[key];
      define(parent, key.slice(0, cut) + key.slice(cut + 1), value);
    }
  }
  return JSON.stringify(root);
}

function define(obj: object, key: string | number, value: Json): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Text edits: cut the end, replace, insert or delete a character. */
export type TextEdit = { at: number; kind: 'truncate' | 'replace' | 'insert' | 'delete'; char: string };
export const textEdit: fc.Arbitrary<TextEdit> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('truncate', 'replace', 'insert', 'delete'),
  char: fc.oneof(fc.constantFrom('"', '{', '}', '[', ']', ',', ':', '0', '-', 'e', '\\', ' ', '\u0000', '\ud800'), fc.string({ minLength: 1, maxLength: 1 })),
});

export function editText(text: string, edits: readonly TextEdit[]): string {
  let t = text;
  for (const e of edits) {
    const at = t.length ? e.at % (t.length + 1) : 0;
    if (e.kind === 'truncate') t = t.slice(0, at);
    else if (e.kind === 'replace') t = t.slice(0, at) + e.char + t.slice(at + 1);
    else if (e.kind === 'insert') t = t.slice(0, at) + e.char + t.slice(at);
    else t = t.slice(0, at) + t.slice(at + 1);
  }
  return t;
}

/** Byte edits of a binary file: set a byte, cut the end. */
export type ByteEdit = { at: number; value: number; truncate: boolean };
export const byteEdit: fc.Arbitrary<ByteEdit> = fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }), truncate: fc.boolean() });

export function editBytes(bytes: Uint8Array, edits: readonly ByteEdit[]): Uint8Array {
  let b = bytes.slice();
  for (const e of edits) {
    const at = e.at % Math.max(1, b.length);
    if (e.truncate) b = b.slice(0, at);
    else if (b.length) b[at] = e.value;
  }
  return b;
}
