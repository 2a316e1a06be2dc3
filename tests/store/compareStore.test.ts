/** Saved runs: saving, overlay selection, import with every failure leaving the list as it was. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RUN, parseRunConfig } from '../../src/rl/runConfig';
import { createCompareStore, MAX_OVERLAY, pickRunFiles } from '../../src/store/compareStore';
import { memoryArchive, type RunArchive } from '../../src/store/runArchive';
import { runToFiles } from '../../src/store/runFiles';

const CONTENT = { name: 'r', config: parseRunConfig(DEFAULT_RUN), metrics: { reward: [{ step: 1, value: 0.5 }] }, rollouts: [] };

describe('compare store', () => {
  it('saves runs to the archive so a new store (a reload) lists them', async () => {
    const archive = memoryArchive();
    const s = createCompareStore(archive);
    await s.getState().save(CONTENT);
    await s.getState().save({ ...CONTENT, name: 'r2' });
    const again = createCompareStore(archive);
    await again.getState().load();
    expect(again.getState().runs.map((r) => r.name)).toEqual(['r', 'r2']);
    await again.getState().remove(again.getState().runs[0].id);
    expect((await archive.list()).map((r) => r.name)).toEqual(['r2']);
  });

  it(`overlays at most ${MAX_OVERLAY} runs`, async () => {
    const s = createCompareStore(memoryArchive());
    for (let i = 0; i <= MAX_OVERLAY; i++) await s.getState().save({ ...CONTENT, name: `r${i}` });
    for (const r of s.getState().runs) s.getState().toggle(r.id);
    expect(s.getState().selected).toHaveLength(MAX_OVERLAY);
    expect(s.getState().error).toMatch(/At most/);
    s.getState().toggle(s.getState().selected[0]);
    expect(s.getState().selected).toHaveLength(MAX_OVERLAY - 1);
  });

  it('imports exported files, and a corrupt import explains itself and changes nothing', async () => {
    const s = createCompareStore(memoryArchive());
    await s.getState().save(CONTENT);
    const files = runToFiles(CONTENT);
    const ok = await s.getState().importFiles([
      { name: 'r.run.json', text: files.config },
      { name: 'r.metrics.jsonl', text: files.metrics },
    ]);
    expect(ok?.name).toBe('r (imported)');
    expect(ok?.metrics).toEqual(CONTENT.metrics);
    const before = s.getState().runs;
    expect(await s.getState().importFiles([{ name: 'r.run.json', text: files.config }, { name: 'r.metrics.jsonl', text: '{"step":1,"reward":' }])).toBeNull();
    expect(s.getState().error).toBe('Import failed, nothing was changed: metrics line 1 is not valid JSON');
    expect(await s.getState().importFiles([{ name: 'notes.txt', text: 'hi' }])).toBeNull();
    expect(s.getState().error).toMatch(/pick a run config/);
    expect(s.getState().runs).toBe(before);
  });

  it('keeps a run listed (and says so) when the archive cannot store it', async () => {
    const broken: RunArchive = { list: async () => [], put: async () => Promise.reject(new Error('quota exceeded')), remove: async () => undefined };
    const s = createCompareStore(broken);
    await s.getState().save(CONTENT);
    expect(s.getState().runs).toHaveLength(1);
    expect(s.getState().error).toMatch(/could not be stored.*quota exceeded/);
  });

  it('picks files by name: config .json, rollouts by name, the other .jsonl as metrics', () => {
    const f = (name: string) => ({ name, text: '' });
    const picked = pickRunFiles([f('a.rollouts.jsonl'), f('a.metrics.jsonl'), f('a.run.json')]);
    expect([picked.config.name, picked.metrics.name, picked.rollouts?.name]).toEqual(['a.run.json', 'a.metrics.jsonl', 'a.rollouts.jsonl']);
    expect(() => pickRunFiles([f('a.rollouts.jsonl'), f('a.run.json')])).toThrow(/metrics/);
  });
});
