/**
 * Fuzzing the two config doors: run config files (`cli train --config`, imported runs, presets) and share links.
 * Every input gives a valid config or one plain Error naming the problems; a share link never throws and, when
 * refused, leaves the defaults whole.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RUN, parseRunConfig, runProblems, type RunConfig } from '../../src/rl/runConfig';
import { PRESETS } from '../../src/store/presets';
import { decodeHash, encodeHash } from '../../src/store/urlState';
import { editText, FUZZ, mutateJson, mutation, outcome, textEdit } from './hostile';

const b64url = (s: string) => Buffer.from(s).toString('base64url');
const SEEDS = [DEFAULT_RUN, ...PRESETS.map((p) => p.config), parseRunConfig(PRESETS[1].config)] as unknown as Parameters<typeof mutateJson>[0][];
const seedDoc = fc.constantFrom(...SEEDS);
const defaultsBefore = structuredClone(DEFAULT_RUN);

/** A parsed config must be complete, valid, and parse to itself again. */
function expectValid(config: RunConfig): void {
  expect(runProblems(config)).toEqual([]);
  expect(parseRunConfig(JSON.stringify(config))).toEqual(config);
}

/** "- path: why", each key plain or quoted. */
const KEY = String.raw`(?:[\w$-]+|"(?:[^"\\]|\\.)*")`;
const PROBLEM_LINE = new RegExp(String.raw`^- ${KEY}(?:\.${KEY})*: \S`);

/** A refusal lists problems as "path: why" lines, or is one sentence about the text as a whole. */
function expectExplained(message: string): void {
  if (message.startsWith('invalid run config:\n')) {
    for (const line of message.split('\n').slice(1)) expect(line).toMatch(PROBLEM_LINE);
  } else expect(message).toMatch(/^run config (is|must be)/);
}

function checkConfigText(text: string): void {
  const o = outcome(() => parseRunConfig(text));
  if ('value' in o) expectValid(o.value);
  else expectExplained(o.error);
}

function checkHash(hash: string): void {
  const o = outcome(() => decodeHash(hash));
  if (!('value' in o)) throw new Error(`decodeHash threw: ${o.error}`);
  const h = o.value;
  expect(typeof h.embed).toBe('boolean');
  if (h.error === null) expectValid(h.config);
  else {
    expect(h.config).toBe(DEFAULT_RUN);
    expect(h.error).toMatch(/^The run settings in this link could not be used, so the defaults are shown: \S/);
  }
}

describe('fuzz: run config files', () => {
  it('structurally mutated configs (wrong types, odd numbers, unknown and prototype keys, typos)', () => {
    fc.assert(fc.property(seedDoc, fc.array(mutation, { minLength: 1, maxLength: 4 }), (doc, ms) => checkConfigText(mutateJson(doc, ms))), FUZZ);
  });

  it('textually mutated configs (truncated, broken JSON, control characters, lone surrogates)', () => {
    fc.assert(fc.property(seedDoc, fc.array(textEdit, { minLength: 1, maxLength: 4 }), (doc, es) => checkConfigText(editText(JSON.stringify(doc), es))), FUZZ);
  });

  it('arbitrary JSON and text', () => {
    fc.assert(fc.property(fc.oneof(fc.json({ maxDepth: 4 }), fc.string({ maxLength: 200 })), checkConfigText), FUZZ);
  });

  it('leaves the defaults as they were', () => {
    expect(DEFAULT_RUN).toEqual(defaultsBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('fuzz: share links', () => {
  it('links carrying mutated configs', () => {
    fc.assert(
      fc.property(seedDoc, fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean(), (doc, ms, embed) =>
        checkHash(`#run=${b64url(mutateJson(doc, ms))}${embed ? '&embed=1' : ''}`),
      ),
      FUZZ,
    );
  });

  it('valid links truncated and edited (broken base64, padding, stray characters)', () => {
    const valid = fc.constantFrom(...SEEDS).map((d) => encodeHash(parseRunConfig(d as object), false));
    fc.assert(fc.property(valid, fc.array(textEdit, { minLength: 1, maxLength: 3 }), (hash, es) => checkHash(editText(hash, es))), FUZZ);
  });

  it('random hashes and base64 of random bytes', () => {
    const base64Body = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('base64url'));
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 200 }), base64Body.map((c) => `#run=${c}`), fc.string().map((s) => `#run=${s}&embed=1`)), checkHash), FUZZ);
  });

  it('keeps the defaults whole', () => {
    expect(DEFAULT_RUN).toEqual(defaultsBefore);
  });
});

describe('fuzz regressions (cases the fuzzers once found)', () => {
  // Keys that are empty, hold spaces or line breaks were printed raw: "model.: unknown option", "-  ifficulty: …",
  // and a key with "\\n- " could forge a problem line of its own. Such keys are now quoted.
  it.each([
    ['{"":""}', '- "": unknown option (options: algorithm, task, difficulty, seed, model, sft, grpo, rewards, iterations, eval, dpo, selfInstruct, aggregation, distill, j1, onpolicy_rm, stepwiser)'],
    ['{"model":{"preset":"tiny","":"0.001"}}', '- model."": unknown option'],
    ['{" ifficulty":{}}', '- " ifficulty": unknown option; did you mean difficulty?'],
    ['{"a\\n- seed: forged":1}', '- "a\\n- seed: forged": unknown option'],
  ])('%s', (text, line) => {
    const o = outcome(() => parseRunConfig(text));
    expect('error' in o && o.error.split('\n')).toContainEqual(expect.stringContaining(line));
    checkConfigText(text);
  });
});
