/** `cli sft` trains the same model as the experiment's warm-start (app, worker, `cli train`) for the same seed. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Flags } from '../../src/cli/args';
import { sft } from '../../src/cli/commands';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { readWeights } from '../../src/model/weights';
import { readSafetensors } from '../../src/model/safetensors';
import { Experiment } from '../../src/rl/experiment';
import { parseRunConfig } from '../../src/rl/runConfig';

let dir = '';
afterEach(async () => {
  vi.restoreAllMocks();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('cli sft', () => {
  it('draws the warm-start demonstrations: one seed gives one model everywhere', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sft-'));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const [steps, batch, lr, seed] = [3, 8, 3e-3, 5];
    await sft(new Flags(['--task', 'parity', '--difficulty', '{"length":4}', '--steps', `${steps}`, '--batch', `${batch}`, '--lr', `${lr}`,
      '--seed', `${seed}`, '--preset', 'tiny', '--context', '16', '--eval', '0', '--out', dir]));
    const cli = readSafetensors(new Uint8Array(await readFile(join(dir, 'model.safetensors')))).tensors;

    const run = parseRunConfig({ task: 'parity', difficulty: { length: 4 }, seed, model: { preset: 'tiny', contextLength: 16 }, sft: { steps, batch, lr } });
    const exp = new Experiment(createCpuBackend(), run);
    await exp.warmStart();
    const app = await readWeights(exp.be, exp.policy);
    expect([...cli.keys()].sort()).toEqual([...app.keys()].sort());
    for (const [name, w] of app) expect(Array.from(cli.get(name)!.data), name).toEqual(Array.from(w));
  });
});
