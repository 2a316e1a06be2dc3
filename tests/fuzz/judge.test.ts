/**
 * Fuzzing ONNX judges: the JSON spec (1000 mutated and 1000 random specs through the parser the worker and the
 * CLI use) and the .onnx bytes themselves through onnxruntime-web as the worker loads them (1000 cases; most
 * edits break the graph and are refused at once, and a model that loads is probed by running it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJudgeSpec } from '../../src/rl/judges/modelJudge';
import { loadOnnxJudge } from '../../src/worker/onnxJudge';
import { byteEdit, editBytes, editText, FUZZ, mutateJson, mutation, outcome, outcomeAsync, textEdit } from './hostile';

const dir = join(__dirname, '..', '..', 'public', 'models');
const SPEC = readFileSync(join(dir, 'reversal-judge.json'), 'utf8');
const ONNX = new Uint8Array(readFileSync(join(dir, 'reversal-judge.onnx')));

function checkSpec(text: string): void {
  const o = outcome(() => parseJudgeSpec(text));
  if ('value' in o) {
    expect([...o.value.alphabet]).toContain(o.value.yes);
    expect([...o.value.alphabet]).toContain(o.value.no);
  } else expect(o.error).toMatch(/^judge spec(?: is|: \S)/);
}

describe('fuzz: ONNX judge specs', () => {
  it('the shipped spec mutated in structure and text', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.array(textEdit, { maxLength: 2 }), (ms, es) => checkSpec(editText(mutateJson(JSON.parse(SPEC), ms), es))),
      FUZZ,
    );
  });

  it('random JSON and text', () => {
    fc.assert(fc.property(fc.oneof(fc.json({ maxDepth: 3 }), fc.string({ maxLength: 100 })), checkSpec), FUZZ);
  });
});

describe('fuzz: ONNX judge files', () => {
  it('edited and truncated .onnx bytes load as a judge or are refused with the reason', async () => {
    await fc.assert(
      // Most edits hit the first 4 kB, where the graph's structure is; edits in the weights mostly load fine (and slowly).
      fc.asyncProperty(fc.array(fc.oneof({ weight: 1, arbitrary: byteEdit }, { weight: 3, arbitrary: byteEdit.map((e) => ({ ...e, at: e.at % 4096 })) }), { minLength: 1, maxLength: 3 }), async (es) => {
        const o = await outcomeAsync(async () => {
          const loaded = await loadOnnxJudge({ name: 'fuzzed', onnx: editBytes(ONNX, es), spec: SPEC });
          await loaded.release();
          return loaded.info;
        }, 5_000);
        if ('error' in o) expect(o.error).toMatch(/^judge "fuzzed": \S/);
        else expect(o.value.maxSequence).toBeGreaterThan(0);
      }),
      FUZZ,
    );
  });
});

describe('fuzz regressions (cases that once threw TypeErrors or slipped through)', () => {
  it.each([
    ['a spec that is null', 'null', /judge spec: must be an object of settings \(got null\)/],
    // The verdict rule ran on a spec that was not an object at all.
    ['a spec that is a string', '""', /judge spec: must be an object of settings \(got ""\)/],
    ['verdicts of two characters', '{"format":"grpo-playground/onnx-judge@1","alphabet":"abYN","yes":"YN","no":"N"}', /judge spec: yes: must be one character/],
    ['a reasoning budget of a billion tokens', '{"format":"grpo-playground/onnx-judge@1","alphabet":"YN","yes":"Y","no":"N","maxThought":1e9}', /maxThought: must be an integer in \[0, 256\]/],
  ])('%s', (_what, text, why) => {
    expect(() => parseJudgeSpec(text)).toThrow(why);
  });
});
