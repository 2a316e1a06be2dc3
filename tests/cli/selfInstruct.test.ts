/**
 * `cli self-instruct --config --out set.json` writes the kept set; `cli train --config --dataset set.json` trains
 * on exactly its prompts; a malformed set is refused naming what is wrong, before anything trains.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Flags } from '../../src/cli/args';
import { selfInstructCommand } from '../../src/cli/selfInstruct';
import { train } from '../../src/cli/trainCommands';
import { parseKeptSet } from '../../src/rl/selfInstruct/keptSet';

let dir = '';
afterEach(async () => {
  vi.restoreAllMocks();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const base = { task: 'addition', difficulty: { digits: 1 }, seed: 1, model: { preset: 'tiny', nLayer: 1, nEmbd: 16, nHead: 2, contextLength: 24 }, eval: { n: 4, every: 5 } };

describe('cli self-instruct and train --dataset', () => {
  it('writes the kept set, and a run trains on its prompts only', async () => {
    dir = await mkdtemp(join(tmpdir(), 'self-instruct-'));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const proposing = { ...base, algorithm: 'self-instruct', sft: { steps: 20, batch: 16, lr: 3e-3 }, grpo: { num_generations: 4, prompts_per_step: 4, max_completion_length: 3 }, selfInstruct: { proposer: 'scripted', filter: 'none', proposals: 8, answerSamples: 4 }, iterations: 2 };
    await writeFile(join(dir, 'propose.json'), JSON.stringify(proposing));
    await selfInstructCommand(new Flags(['--config', join(dir, 'propose.json'), '--out', join(dir, 'set.json'), '--backend', 'wasm']));
    const set = parseKeptSet(await readFile(join(dir, 'set.json'), 'utf8'));
    // No filter keeps every parsed proposal; the scripted proposer's always parse (duplicates kept once).
    expect(set).toMatchObject({ task: 'addition', proposer: 'scripted', filter: 'none', label: 'stated', iterations: 2 });
    expect(set.instances.length).toBeGreaterThan(4);
    expect(set.instances.length).toBeLessThanOrEqual(16);

    const training = { ...base, algorithm: 'grpo', sft: { steps: 2, batch: 8, lr: 3e-3 }, grpo: { num_generations: 4, prompts_per_step: 4, max_completion_length: 3 }, iterations: 2 };
    await writeFile(join(dir, 'train.json'), JSON.stringify(training));
    await train(new Flags(['--config', join(dir, 'train.json'), '--dataset', join(dir, 'set.json'), '--out', join(dir, 'run'), '--backend', 'wasm']));
    const rollouts = (await readFile(join(dir, 'run', 'rollouts.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { prompt: string });
    expect(rollouts).toHaveLength(2 * 4 * 4);
    const kept = new Set(set.instances.map((i) => i.prompt));
    expect(rollouts.every((r) => kept.has(r.prompt))).toBe(true);
  }, 60_000);

  it('refuses a malformed set or one of another task, naming what is wrong', async () => {
    dir = await mkdtemp(join(tmpdir(), 'self-instruct-'));
    await writeFile(join(dir, 'train.json'), JSON.stringify({ ...base, iterations: 1 }));
    const set = { format: 'grpo-playground/self-instruct-set', version: 1, task: 'addition', proposer: 'policy', filter: 'answer-matching', label: 'stated', seed: 1, iterations: 3, instances: [{ prompt: '7+4=', answer: '12', demonstration: '12', stated: '12', passRate: 0.5 }] };
    await writeFile(join(dir, 'bad.json'), JSON.stringify(set));
    const trainOn = (file: string) => train(new Flags(['--config', join(dir, 'train.json'), '--dataset', join(dir, file), '--out', join(dir, 'run'), '--backend', 'wasm']));
    await expect(trainOn('bad.json')).rejects.toThrow(/bad\.json: invalid self-instruct set: - instances\.0\.answer: "12" is not the answer of "7\+4=" \(the task computes "11"\)/);
    await writeFile(join(dir, 'other.json'), JSON.stringify({ ...set, task: 'multiplication', instances: [{ ...set.instances[0], prompt: '7*4=', answer: '28', demonstration: '28', stated: '28' }] }));
    await expect(trainOn('other.json')).rejects.toThrow(/holds multiplication instances, but the run's task is addition/);
    await expect(trainOn('missing.json')).rejects.toThrow(/cannot read .*missing\.json/);
  });
});
