/**
 * Fuzzing imported runs (config .json + metrics .jsonl + rollouts .jsonl, as exported or written by `cli train`):
 * an import adds one valid run or is refused with the reason, and a refusal changes neither the list nor the
 * archive of saved runs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RUN, parseRunConfig, runProblems } from '../../src/rl/runConfig';
import { createCompareStore } from '../../src/store/compareStore';
import { memoryArchive } from '../../src/store/runArchive';
import { runToFiles } from '../../src/store/runFiles';
import { sampleRollout } from '../sampleRollout';
import { editText, FUZZ, mutateJson, mutation, textEdit, type Mutation, type TextEdit } from './hostile';


const FILES = runToFiles({
  name: 'r',
  config: parseRunConfig({ ...DEFAULT_RUN, seed: 3 }),
  metrics: { reward: [{ step: 1, value: 0.1 }, { step: 2, value: 0.4 }], accuracy: [{ step: 0, value: 0.25 }] },
  rollouts: [sampleRollout(4, 0), sampleRollout(4, 1)],
});
const NAMES = ['r.run.json', 'r.metrics.jsonl', 'r.rollouts.jsonl'] as const;
const TEXTS = [FILES.config, FILES.metrics, FILES.rollouts];

/** One file of the three, one line of it (JSONL) mutated in structure and then in text. */
function corrupt(file: number, line: number, ms: readonly Mutation[], es: readonly TextEdit[]): string[] {
  return TEXTS.map((text, i) => {
    if (i !== file) return text;
    const lines = file === 0 ? [text] : text.split('\n').filter(Boolean);
    const at = line % lines.length;
    lines[at] = editText(mutateJson(JSON.parse(lines[at]), ms), es);
    return lines.join('\n');
  });
}

async function checkImport(texts: string[]): Promise<void> {
  const archive = memoryArchive();
  const store = createCompareStore(archive);
  await store.getState().save({ name: 'kept', config: parseRunConfig(DEFAULT_RUN), metrics: { reward: [{ step: 1, value: 1 }] }, rollouts: [] });
  const before = store.getState().runs;
  const imported = await store.getState().importFiles(texts.map((text, i) => ({ name: NAMES[i], text })));
  const after = store.getState();
  if (imported === null) {
    expect(after.error).toMatch(/^Import failed, nothing was changed: \S/);
    expect(after.runs).toBe(before);
    expect((await archive.list()).map((r) => r.name)).toEqual(['kept']);
  } else {
    expect(after.error).toBeNull();
    expect(after.runs.map((r) => r.name)).toEqual(['kept', 'r (imported)']);
    expect(runProblems(imported.config)).toEqual([]);
    // What the rollout and judge views read of each verdict is there.
    for (const v of imported.rollouts.flatMap((r) => Object.values(r.verdicts))) expect([typeof v?.label, typeof v?.rationale, typeof v?.score]).toEqual(['string', 'string', 'number']);
    expect((await archive.list()).length).toBe(2);
  }
}

describe('fuzz: imported runs', () => {
  it('one of the three files mutated in a line (structure and text)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(2), fc.nat(), fc.array(mutation, { maxLength: 3 }), fc.array(textEdit, { maxLength: 2 }), async (file, line, ms, es) =>
        checkImport(corrupt(file, line, ms, es)),
      ),
      FUZZ,
    );
  });

  it('whole files replaced by random text or JSON lines', async () => {
    const jsonl = fc.array(fc.json({ maxDepth: 2 }), { maxLength: 4 }).map((ls) => ls.join('\n'));
    await fc.assert(
      fc.asyncProperty(fc.nat(2), fc.oneof(fc.string({ maxLength: 200 }), jsonl), async (file, text) => checkImport(TEXTS.map((t, i) => (i === file ? text : t)))),
      FUZZ,
    );
  });
});
