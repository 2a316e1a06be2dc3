/** The backend choice from step times (made-up timings: speed itself is never asserted) and when to measure again. */
import { describe, expect, it } from 'vitest';
import type { DeviceInfo } from '../../src/engine/backend';
import { presetConfig } from '../../src/model/config';
import { chooseBackend, MIN_REMEASURE_FACTOR, needsRemeasure, stepWork, type BackendTiming } from '../../src/worker/backendChoice';

const swiftShader: DeviceInfo = { backend: 'webgpu', vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: false };
const h200: DeviceInfo = { backend: 'webgpu', vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200', isFallbackAdapter: false };
const cpu: BackendTiming = { backend: 'wasm', ms: 100 };
const gpu = (device: DeviceInfo, ms: number): BackendTiming => ({ backend: 'webgpu', device, ms });

describe('chooseBackend', () => {
  it('picks the faster backend and names a software adapter as the reason', () => {
    const c = chooseBackend([gpu(swiftShader, 310), cpu], null, 1);
    expect(c).toMatchObject({ chosen: 'wasm', by: 'measurement', reason: 'SwiftShader is a software adapter: the CPU path is 3.1× faster here' });
    expect(c.margin).toBeCloseTo(3.1);
  });

  it('says how much faster a hardware GPU is, or that the CPU beat it', () => {
    expect(chooseBackend([gpu(h200, 10), cpu], null, 1).reason).toBe('WebGPU (NVIDIA H200) is 10.0× faster here than the CPU path');
    expect(chooseBackend([gpu(h200, 150), cpu], null, 1)).toMatchObject({ chosen: 'wasm', reason: 'The CPU path is 1.5× faster here than WebGPU (NVIDIA H200)' });
  });

  it("follows the user's override even when it is slower, and says so", () => {
    expect(chooseBackend([gpu(swiftShader, 310), cpu], 'webgpu', 1)).toMatchObject({ chosen: 'webgpu', by: 'override', reason: 'WebGPU (SwiftShader): your choice (automatic choice is off)' });
  });

  it('falls back to the measurement when the override cannot be created', () => {
    const c = chooseBackend([{ backend: 'webgpu', ms: null, error: 'no adapter' }, cpu], 'webgpu', 1);
    expect(c).toMatchObject({ chosen: 'wasm', by: 'only' });
    expect(c.reason).toBe('WebGPU is not available here; the CPU path is the only backend that works here: WebGPU failed (no adapter)');
  });

  it('uses the only backend that came up and names what failed; with none it throws naming each', () => {
    expect(chooseBackend([{ backend: 'webgpu', ms: null, error: 'requestAdapter() returned null' }, cpu], null, 1)).toMatchObject({ chosen: 'wasm', by: 'only', margin: 1 });
    expect(() => chooseBackend([{ backend: 'webgpu', ms: null, error: 'lost' }, { backend: 'wasm', ms: null, error: 'boom' }], null, 1)).toThrow('no backend works here: webgpu: lost; wasm: boom');
  });
});

describe('needsRemeasure', () => {
  const measured = { by: 'measurement' as const, margin: 3, work: 1000 };

  it('measures again only once the work changed by the measured margin, either way', () => {
    expect(needsRemeasure(measured, 2000)).toBe(false);
    expect(needsRemeasure(measured, 3000)).toBe(true);
    expect(needsRemeasure(measured, 1000 / 3)).toBe(true);
    expect(needsRemeasure(measured, 500)).toBe(false);
  });

  it('ignores changes below the noise floor when the margin was close, and never re-measures a lone backend', () => {
    expect(needsRemeasure({ ...measured, margin: 1.1 }, 1000 * (MIN_REMEASURE_FACTOR - 0.1))).toBe(false);
    expect(needsRemeasure({ ...measured, margin: 1.1 }, 1000 * MIN_REMEASURE_FACTOR)).toBe(true);
    expect(needsRemeasure({ ...measured, by: 'only' }, 1e9)).toBe(false);
  });
});

describe('stepWork', () => {
  it('grows with the model and in proportion to the batch', () => {
    const tiny = presetConfig('tiny', 16), small = presetConfig('small', 16);
    expect(stepWork(small, 8)).toBeGreaterThan(10 * stepWork(tiny, 8));
    expect(stepWork(tiny, 16)).toBe(2 * stepWork(tiny, 8));
  });
});
