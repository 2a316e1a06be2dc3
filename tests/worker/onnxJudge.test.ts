/** The app's ONNX judge loader (onnxruntime-web, as in the worker): contract checks on load, then real verdicts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { presetConfig } from '../../src/model/config';
import { exportOnnx } from '../../src/model/onnx/exportOnnx';
import { Transformer } from '../../src/model/transformer';
import { JUDGE_FORMAT } from '../../src/rl/judges/modelJudge';
import { loadOnnxJudge, type JudgeFiles } from '../../src/worker/onnxJudge';

const dir = join(__dirname, '..', '..', 'public', 'models');
const shipped = (): JudgeFiles => ({
  name: 'reversal-judge',
  onnx: new Uint8Array(readFileSync(join(dir, 'reversal-judge.onnx'))),
  spec: readFileSync(join(dir, 'reversal-judge.json'), 'utf8'),
});

describe('ONNX judge in onnxruntime-web', () => {
  it('loads the shipped judge and judges reversals', async () => {
    const loaded = await loadOnnxJudge(shipped());
    expect(loaded.info).toMatchObject({ name: 'reversal-judge', yes: 'Y', no: 'N' });
    expect(loaded.info.description).toMatch(/revers/);
    const good = await loaded.judge.score('abc>', 'cba');
    const bad = await loaded.judge.score('abc>', 'bca');
    expect(good.score).toBeGreaterThan(0.5);
    expect(bad.score).toBeLessThan(0.5);
    expect(good.rationale).toMatch(/model judge wrote/);
    // Its context (32 positions, found by probing) bounds what it can judge: too long is a verdict, not a crash.
    expect(loaded.info.maxSequence).toBe(32);
    expect(await loaded.judge.score('abc>', 'cbacbacbacbacbacbacbacbacbacbacba')).toMatchObject({ score: 0, label: 'too long' });
    const tight = await loaded.judge.score('abc>', 'cbacbacbacbacbacbacba');
    expect(['accept', 'reject', 'no verdict']).toContain(tight.label);
    // The trainer scores a group's rollouts at once; a wasm session must see them one at a time.
    const together = await Promise.all(['cba', 'bca', 'cba', 'acb'].map((c) => loaded.judge.score('abc>', c)));
    expect(together.map((v) => v.score > 0.5)).toEqual([true, false, true, false]);
    await loaded.release();
  });

  it('refuses files that break the contract, saying what is wrong', async () => {
    const good = shipped();
    await expect(loadOnnxJudge({ ...good, spec: '{"format":"x"' })).rejects.toThrow(/judge "reversal-judge": judge spec is not valid JSON/);
    await expect(loadOnnxJudge({ ...good, spec: JSON.stringify({ format: JUDGE_FORMAT, alphabet: 'ab', yes: 'Y', no: 'N' }) })).rejects.toThrow(/verdict characters "Y"\/"N" are not in its alphabet/);
    await expect(loadOnnxJudge({ ...good, onnx: new Uint8Array([1, 2, 3, 4]) })).rejects.toThrow(/could not be loaded by onnxruntime-web/);
    // A real exported model whose vocabulary (3 + 5) does not match the spec's alphabet (3 + 4).
    const be = createCpuBackend();
    const model = Transformer.init(be, presetConfig('tiny', 8, { nEmbd: 8, nLayer: 1, nHead: 2, ffnHidden: 8, contextLength: 16 }), 1);
    const onnx = await exportOnnx(be, model);
    const spec = JSON.stringify({ format: JUDGE_FORMAT, alphabet: 'abYN', yes: 'Y', no: 'N' });
    await expect(loadOnnxJudge({ name: 'mine', onnx, spec })).rejects.toThrow(/judge "mine": judge model has 8 output tokens but its spec's alphabet gives 7/);
  });
});
