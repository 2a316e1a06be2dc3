/**
 * The engine worker's backend selection: candidates that fail carry their reason, real candidates get timed
 * (how fast is never asserted), and the chooser follows overrides and model changes (with made-up timings).
 */
import { describe, expect, it } from 'vitest';
import { nodeGpu } from '../../src/node/gpu';
import { parseRunConfig, type RunConfig } from '../../src/rl/runConfig';
import type { BackendTiming } from '../../src/worker/backendChoice';
import { BackendChooser, measureCandidates } from '../../src/worker/selectBackend';
import { TINY_RUN } from '../tinyRun';

const run = parseRunConfig(TINY_RUN);

/** A chooser on made-up timings that counts its measurements. */
function fakeChooser(gpu: GPU | undefined, timings: BackendTiming[]) {
  const calls: RunConfig[] = [];
  const chooser = new BackendChooser(gpu, run, undefined, {
    waitForRunMs: 0,
    measure: async (_gpu, r) => {
      calls.push(r);
      return timings;
    },
  });
  return { chooser, calls };
}

describe('measureCandidates', () => {
  it('times the CPU path and keeps why WebGPU could not be created', async () => {
    const none = await measureCandidates(undefined, run);
    expect(none.find((t) => t.backend === 'webgpu')?.error).toMatch(/navigator\.gpu is undefined/);
    expect(none.find((t) => t.backend === 'wasm')?.ms).toSatisfy((ms: number) => Number.isFinite(ms) && ms > 0);
    const noAdapter = await measureCandidates({ requestAdapter: async () => null } as unknown as GPU, run);
    expect(noAdapter.find((t) => t.backend === 'webgpu')?.error).toMatch(/requestAdapter\(\) returned null/);
  });

  it('times WebGPU too where an adapter comes up (Dawn in Node)', async () => {
    const timings = await measureCandidates(await nodeGpu(), run);
    const webgpu = timings.find((t) => t.backend === 'webgpu')!;
    expect(webgpu.error).toBeUndefined();
    // Timed even when it loses by far: at least one step after the warm-up.
    expect(webgpu.ms).toSatisfy((ms: number) => Number.isFinite(ms) && ms > 0);
    expect(webgpu.device?.description.length).toBeGreaterThan(0);
  });
});

describe('BackendChooser', () => {
  const swiftShader = { backend: 'webgpu' as const, vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: false };

  it('trains on the measured winner and reports WebGPU failures as the fallback reason', async () => {
    const { chooser } = fakeChooser(undefined, [{ backend: 'webgpu', ms: null, error: 'WebGPU unavailable: no adapter' }, { backend: 'wasm', ms: 5 }]);
    const s = await chooser.current();
    expect(s.backend.name).toBe('wasm');
    expect(s.choice).toMatchObject({ chosen: 'wasm', by: 'only' });
    expect(s.fallbackReason).toBe('WebGPU unavailable: no adapter');
  });

  it("applies the user's pick without measuring again, and goes back to the measurement", async () => {
    const { chooser, calls } = fakeChooser(await nodeGpu(), [{ backend: 'webgpu', device: swiftShader, ms: 300 }, { backend: 'wasm', ms: 100 }]);
    expect((await chooser.current()).backend.name).toBe('wasm');
    chooser.setOverride('webgpu');
    expect(chooser.isStale()).toBe(true);
    const picked = await chooser.renew();
    expect(picked.backend.name).toBe('webgpu');
    expect(picked.choice).toMatchObject({ chosen: 'webgpu', by: 'override' });
    expect(chooser.isStale()).toBe(false);
    chooser.setOverride(null);
    expect(chooser.isStale()).toBe(true);
    expect((await chooser.renew()).choice).toMatchObject({ chosen: 'wasm', by: 'measurement' });
    expect(calls).toHaveLength(1);
    (await chooser.current()).backend.dispose();
  });

  it('measures again when a new model is different enough to change the answer', async () => {
    // CPU 3× faster: a model with under 3× the work cannot flip it, the small preset (far more) can.
    const { chooser, calls } = fakeChooser(undefined, [{ backend: 'webgpu', device: swiftShader, ms: 300 }, { backend: 'wasm', ms: 100 }]);
    await chooser.current();
    chooser.setRun(parseRunConfig({ ...TINY_RUN, model: { ...TINY_RUN.model, nEmbd: 20 } }));
    expect(chooser.isStale()).toBe(false);
    chooser.setRun(parseRunConfig({ ...TINY_RUN, model: { preset: 'small', contextLength: 16 } }));
    expect(chooser.isStale()).toBe(true);
    await chooser.renew();
    expect(calls.map((r) => r.model.preset)).toEqual(['tiny', 'small']);
    expect(chooser.isStale()).toBe(false);
  });
});
