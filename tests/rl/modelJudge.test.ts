/** The ONNX judge contract: greedy reasoning until a Y/N verdict, P(yes) as the score, and clear contract errors. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { ortRunner } from '../../src/cli/judge';
import { presetConfig } from '../../src/model/config';
import { exportOnnx } from '../../src/model/onnx/exportOnnx';
import { CharTokenizer } from '../../src/model/tokenizer';
import { Transformer } from '../../src/model/transformer';
import { JUDGE_FORMAT, ModelJudge, parseJudgeSpec, type JudgeSpec, type RunLogits } from '../../src/rl/judges/modelJudge';

const SPEC: JudgeSpec = { format: JUDGE_FORMAT, alphabet: 'abc>?:=!YN', yes: 'Y', no: 'N', maxThought: 6 };
const tok = new CharTokenizer(SPEC.alphabet);
const id = (ch: string) => tok.encode(ch)[0];

/** A scripted model: emits `script` one token per call, then logits (yes, no) for the verdict. */
function scripted(script: string, yes: number, no: number): { run: RunLogits; calls: number[][] } {
  const calls: number[][] = [];
  const V = tok.vocabSize;
  const run: RunLogits = async (ids) => {
    calls.push([...ids]);
    const logits = new Float32Array(ids.length * V);
    const last = logits.subarray((ids.length - 1) * V);
    const k = calls.length - 1;
    if (k < script.length) last[id(script[k])] = 5;
    else [last[id('Y')], last[id('N')]] = [yes, no];
    return { logits, vocab: V };
  };
  return { run, calls };
}

describe('ONNX model judge', () => {
  it('reasons greedily, then scores P(yes) from the verdict logits and shows its reasoning', async () => {
    const { run, calls } = scripted('cc=', 2, 0);
    const v = await new ModelJudge(SPEC, run).score('abc>', 'cba');
    expect(calls.map((c) => c.length)).toEqual([9, 10, 11, 12]);
    expect(calls[3].slice(-3)).toEqual(tok.encode('cc='));
    expect(v.score).toBeCloseTo(1 / (1 + Math.exp(-2)), 6);
    expect(v.label).toBe('accept');
    expect(v.rationale).toContain('"cc="');
  });

  it('gives no verdict when the model never reaches one within maxThought tokens', async () => {
    const v = await new ModelJudge(SPEC, scripted('abcabcabc', 0, 0).run).score('abc>', 'cba');
    expect(v).toMatchObject({ score: 0, label: 'no verdict' });
  });

  it('the shipped reversal judge (trained with our engine) accepts correct reversals and rejects near misses', async () => {
    const dir = join(__dirname, '..', '..', 'public', 'models');
    const spec = parseJudgeSpec(readFileSync(join(dir, 'reversal-judge.json'), 'utf8'));
    const judge = new ModelJudge(spec, await ortRunner(join(dir, 'reversal-judge.onnx')));
    let right = 0, n = 0;
    for (const word of ['abc', 'hgd', 'fea', 'bbh', 'cge', 'dha', 'gfc', 'ebd']) {
      const rev = [...word].reverse().join('');
      const swapped = rev[1] + rev[0] + rev[2];
      const changed = rev.slice(0, 2) + (rev[2] === 'a' ? 'b' : 'a');
      for (const shown of [rev, swapped, changed]) {
        const v = await judge.score(`${word}>`, shown);
        if (v.label !== 'no verdict' && (v.score >= 0.5) === (shown === rev)) right++;
        n++;
      }
    }
    expect(right / n).toBeGreaterThanOrEqual(0.8);
  });

  it('runs an exported policy in onnxruntime-node and names contract violations', async () => {
    const be = createCpuBackend();
    const model = Transformer.init(be, presetConfig('tiny', tok.vocabSize, { nLayer: 1, nEmbd: 16, contextLength: 24 }), 1);
    const dir = mkdtempSync(join(tmpdir(), 'judge-'));
    writeFileSync(join(dir, 'judge.onnx'), await exportOnnx(be, model));
    const judge = new ModelJudge(SPEC, await ortRunner(join(dir, 'judge.onnx')));
    const v = await judge.score('abc>', 'cba');
    expect(v.score).toBeGreaterThanOrEqual(0);
    expect(v.score).toBeLessThanOrEqual(1);
    await expect(judge.score('abc>', 'cbz')).rejects.toThrow(/character "z" at position 6 is not in the vocabulary/);
    const wider = new ModelJudge({ ...SPEC, alphabet: `${SPEC.alphabet}x` }, await ortRunner(join(dir, 'judge.onnx')));
    await expect(wider.score('abc>', 'cba')).rejects.toThrow(/wrong model or spec/);
    expect(() => parseJudgeSpec('{"format":"x"}')).toThrow(/expected grpo-playground\/onnx-judge@1/);
    expect(() => parseJudgeSpec('{"format":"grpo-playground/onnx-judge@1","alphabet":"ab","yes":"Y","no":"N"}')).toThrow(/not in its alphabet/);
  });
});
