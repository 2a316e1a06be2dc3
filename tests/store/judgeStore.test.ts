/** The judge store against the real run host: load, refuse a bad file keeping the judge, persist, unload. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryJudgeArchive } from '../../src/store/judgeArchive';
import { createJudgeStore, judgeFilesFrom } from '../../src/store/judgeStore';
import type { JudgeFiles } from '../../src/worker/protocol';
import { cpuHarness } from '../worker/engineHarness';

const dir = join(__dirname, '..', '..', 'public', 'models');
const onnxBytes = readFileSync(join(dir, 'reversal-judge.onnx'));
const specText = readFileSync(join(dir, 'reversal-judge.json'), 'utf8');
const shipped = async (): Promise<JudgeFiles> => ({ name: 'reversal-judge', onnx: new Uint8Array(onnxBytes), spec: specText });

describe('judge store', () => {
  it('pairs the picked files and says what is missing', async () => {
    const files = await judgeFilesFrom([new File([onnxBytes], 'mine.onnx'), new File([specText], 'mine.json')]);
    expect(files.name).toBe('mine');
    expect(files.onnx.length).toBe(onnxBytes.length);
    await expect(judgeFilesFrom([new File([onnxBytes], 'mine.onnx')])).rejects.toThrow(/pick exactly one .onnx model and its .json spec together \(got mine.onnx\)/);
  });

  it('loads a judge, keeps it when a bad file is refused, restores it on the next visit and unloads it', async () => {
    const archive = memoryJudgeArchive();
    const store = createJudgeStore(cpuHarness(), archive, shipped);
    await store.getState().loadShipped();
    expect(store.getState()).toMatchObject({ judge: { name: 'reversal-judge' }, error: null, loading: false });

    await store.getState().loadFiles([new File([new Uint8Array(16)], 'broken.onnx'), new File([specText], 'broken.json')]);
    expect(store.getState().error).toMatch(/judge "broken": the .onnx file could not be loaded/);
    expect(store.getState().judge?.name).toBe('reversal-judge');
    expect((await archive.get())?.name).toBe('reversal-judge');

    // A new page: a fresh engine, the same archive.
    const again = createJudgeStore(cpuHarness(), archive, shipped);
    await again.getState().restore();
    expect(again.getState().judge?.name).toBe('reversal-judge');
    await again.getState().unload();
    expect(again.getState().judge).toBeNull();
    expect(await archive.get()).toBeNull();
  });

  it('queues loads asked for at once (a restore and a preset), and says when the judge could not be kept', async () => {
    const archive = memoryJudgeArchive();
    const store = createJudgeStore(cpuHarness(), { ...archive, put: async () => Promise.reject(new Error('quota exceeded')) }, shipped);
    const both = [store.getState().loadShipped(), store.getState().loadFiles([new File([onnxBytes], 'mine.onnx'), new File([specText], 'mine.json')])];
    expect(store.getState().loading).toBe(true);
    await Promise.all(both);
    expect(store.getState()).toMatchObject({ judge: { name: 'mine' }, loading: false });
    expect(store.getState().error).toMatch(/judge "mine" is loaded, but this browser could not keep it for the next visit \(quota exceeded\)/);
  });
});
