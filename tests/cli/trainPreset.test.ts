/** `cli train --preset ID` trains the preset's exact config and ends with its claim evaluated; a wrong id is named. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Flags, UsageError } from '../../src/cli/args';
import { train } from '../../src/cli/trainCommands';
import { getPreset } from '../../src/rl/presets/catalog';
import { parseRunConfig } from '../../src/rl/runConfig';

let dir = '';
afterEach(async () => {
  vi.restoreAllMocks();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('cli train --preset', () => {
  it('runs the preset with the given seed and logs its claim as the last line', async () => {
    dir = await mkdtemp(join(tmpdir(), 'train-preset-'));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await train(new Flags(['--preset', 'zero-variance', '--seed', '2', '--backend', 'wasm', '--out', dir]));
    const run = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'));
    expect(run).toEqual(parseRunConfig({ ...getPreset('zero-variance').config, seed: 2 }));
    const lines = (await readFile(join(dir, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.phase === 'grpo')).toHaveLength(run.iterations);
    expect(lines.find((l) => l.phase === 'eval')).toMatchObject({ step: 0, accuracy: expect.any(Number), 'pass@1': expect.any(Number) });
    const claim = lines[lines.length - 1];
    expect(claim).toMatchObject({ phase: 'claim', preset: 'zero-variance', seed: 2 });
    expect(claim.checks.map((c: { claim: string }) => c.claim)).toEqual([
      'accuracy falls by ≥ 0.4',
      'frac_reward_zero_std rises by ≥ 0.3',
      'grad_norm falls by ≥ 0.3',
    ]);
    expect(claim.checks.every((c: { pass: boolean }) => c.pass)).toBe(true);
  });

  it('names an unknown preset and the ones there are', async () => {
    await expect(train(new Flags(['--preset', 'nope', '--out', 'x']))).rejects.toThrow(UsageError);
    await expect(train(new Flags(['--preset', 'nope', '--out', 'x']))).rejects.toThrow(/unknown preset "nope" \(available: watch-learn, /);
  });
});
