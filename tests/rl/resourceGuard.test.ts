/**
 * The resource guard's verdicts: a run too big for the device is refused with its numbers, one that fits but is
 * slow at the measured speed gets an ETA to confirm, the default runs pass; the run host and `cli train` apply it
 * before any work starts.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { Flags } from '../../src/cli/args';
import { train } from '../../src/cli/trainCommands';
import { cpuLimits, estimateRun, guardRun, webgpuLimits } from '../../src/rl/resourceGuard';
import { DEFAULT_RUN, parseRunConfig } from '../../src/rl/runConfig';
import { createRunStore } from '../../src/store/runStore';
import { encodeHash } from '../../src/store/urlState';
import { cpuHarness, TINY_RUN } from '../worker/engineHarness';

const GiB = 2 ** 30;
const BROWSER_GPU = webgpuLimits({ maxBufferSize: 256 * 2 ** 20, maxStorageBufferBindingSize: 128 * 2 ** 20, maxComputeWorkgroupStorageSize: 16384 }, 4 * GiB);
// Within every bound of the config schema, yet far past any browser's memory: 4096 rollouts of a 12-layer model.
const big = parseRunConfig({
  model: { nEmbd: 512, ffnHidden: 2048, nLayer: 12, nHead: 8, contextLength: 64 },
  grpo: { num_generations: 64, prompts_per_step: 64, max_completion_length: 32 },
  sft: { batch: 256 },
});

describe('resource guard', () => {
  it('estimates a model that does not fit and refuses it with the numbers', () => {
    const e = estimateRun(big);
    // 12 layers × (4·512² + 2·2048·512) + embeddings and norms
    expect(e.parameters).toBeGreaterThan(12 * 12 * 512 * 512);
    expect(e.optimizerBytes).toBe(2 * e.parameterBytes);
    const v = guardRun(big, BROWSER_GPU, 1e9);
    expect(v.refusal).toMatch(/^This run cannot fit on webgpu: .*it needs [\d.]+ GiB at its peak but 4\.00 GiB is available\. It would hold 37\.8 M parameters \(144 MiB, gradients 144 MiB\), optimizer state 576 MiB, reference 0 B, activations of the largest step [\d.]+ GiB, KV cache [\d.]+ GiB: peak [\d.]+ GiB\./);
    expect(v.slow).toBeNull();
    // One buffer past the binding limit is refused even when the total fits.
    const longRollouts = parseRunConfig({ model: { nEmbd: 64, nHead: 2, nLayer: 1, contextLength: 1024 }, grpo: { num_generations: 8, prompts_per_step: 16, max_completion_length: 512 }, eval: { n: 16 } });
    expect(estimateRun(longRollouts).peakBytes).toBeLessThan(4 * GiB);
    expect(guardRun(longRollouts, BROWSER_GPU, 1e9).refusal).toMatch(/^This run cannot fit on webgpu: its largest buffer, the attention scores of 128×516 tokens, needs [\d.]+ [MG]iB but maxStorageBufferBindingSize here is 128 MiB\. /);
  });

  it('passes the default run on a browser GPU at a modest speed', () => {
    const v = guardRun(DEFAULT_RUN, BROWSER_GPU, 5e9);
    expect(v.refusal).toBeNull();
    expect(v.slow).toBeNull();
  });

  it('asks to confirm a run that fits but is slow at the speed this backend has shown, with an ETA', () => {
    const medium = parseRunConfig({ model: { preset: 'medium', contextLength: 64 }, grpo: { num_generations: 16, prompts_per_step: 32 }, iterations: 50 });
    const e = estimateRun(medium);
    const slowSpeed = e.grpoIterationFlops / 2400; // 40 minutes per iteration
    const v = guardRun(medium, cpuLimits(8 * GiB), slowSpeed);
    expect(v.refusal).toBeNull();
    expect(v.slow).toMatch(/^This run will be slow here: ≈ 40 min per GRPO iteration \([\d.]+ [TGM]FLOP each at the [\d.]+ GFLOP\/s cpu has shown\), warm-start ≈ .+, all 50 iterations ≈ [\d.]+ (h|days)\.$/);
    expect(guardRun(medium, cpuLimits(8 * GiB), slowSpeed * 100).slow).toBeNull();
    // No speed known yet: no ETA to give.
    expect(guardRun(medium, cpuLimits(8 * GiB), null).slow).toBeNull();
  });

  it('the run host refuses before any work, and holds a slow run until it is confirmed', async () => {
    const h = cpuHarness();
    await h.send({ type: 'configure', config: JSON.stringify(big) });
    await expect(h.send({ type: 'train' })).rejects.toThrow(/^This run cannot fit on cpu: .*at its peak but 4\.00 GiB is available/);
    expect(h.events.filter((e) => e.kind === 'status').map((e) => e.kind === 'status' && e.status)).toEqual(['idle']);
    expect(await h.send({ type: 'checkResources' })).toMatchObject({ refusal: expect.stringMatching(/cannot fit/), memory: expect.stringMatching(/M parameters/) });

    const slow = cpuHarness({ probe: async () => 1 });
    await slow.send({ type: 'configure', config: JSON.stringify(TINY_RUN) });
    await expect(slow.send({ type: 'step' })).rejects.toThrow(/will be slow here: ≈ .* per GRPO iteration.*Confirm to start\./);
    expect(slow.events.some((e) => e.kind === 'sft')).toBe(false);
    await slow.send({ type: 'step', confirmed: true });
    expect(slow.events.at(-1)).toMatchObject({ kind: 'status', status: 'paused', iteration: 1 });
  });

  it('the page explains a refusal, and holds a slow run for the person to confirm or cancel', async () => {
    const refused = createRunStore(cpuHarness(), { write: () => {} }, DEFAULT_RUN);
    await refused.getState().init(encodeHash(big, false));
    await refused.getState().train();
    expect(refused.getState().notice).toMatch(/^Train refused: This run cannot fit on cpu: /);
    expect(refused.getState().status).toBe('idle');

    const slow = createRunStore(cpuHarness({ probe: async () => 1 }), { write: () => {} }, DEFAULT_RUN);
    await slow.getState().init(encodeHash(parseRunConfig(TINY_RUN), false));
    await slow.getState().step();
    expect(slow.getState().slowRun).toMatchObject({ command: 'step', message: expect.stringMatching(/^This run will be slow here: ≈ /) });
    expect(slow.getState().status).toBe('idle');
    slow.getState().cancelSlowRun();
    expect(slow.getState().slowRun).toBeNull();
    await slow.getState().step();
    await slow.getState().confirmSlowRun();
    expect(slow.getState()).toMatchObject({ status: 'paused', iteration: 1, slowRun: null, notice: null });
  });

  it('cli train says the same and refuses before writing anything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guard-'));
    const config = join(dir, 'run.json');
    await writeFile(config, JSON.stringify(big));
    await expect(train(new Flags(['--config', config, '--out', join(dir, 'out')]))).rejects.toThrow(/^This run cannot fit on cpu: .*it needs [\d.]+ GiB at its peak but [\d.]+ GiB is available\. It would hold 37\.8 M parameters/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
