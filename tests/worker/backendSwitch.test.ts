/**
 * The worker's backend changes against a real run host (made-up timings: CPU measured faster than WebGPU):
 * the user's pick applies at once while the run is idle, waits for the reset when the run has progress (which
 * keeps training where it was), and a much larger model is measured again.
 */
import { describe, expect, it } from 'vitest';
import { nodeGpu } from '../../src/node/gpu';
import { parseRunConfig, type RunConfig } from '../../src/rl/runConfig';
import { BackendSwitch } from '../../src/worker/backendSwitch';
import { RunHost } from '../../src/worker/runHost';
import { BackendChooser } from '../../src/worker/selectBackend';
import { TINY_RUN } from './engineHarness';

async function setup() {
  const measured: RunConfig[] = [];
  const backends = new BackendChooser(await nodeGpu(), parseRunConfig(TINY_RUN), undefined, {
    waitForRunMs: 0,
    measure: async (_gpu, run) => {
      measured.push(run);
      return [
        { backend: 'wasm', ms: 100 },
        { backend: 'webgpu', ms: 300 },
      ];
    },
  });
  const switcher: { current?: BackendSwitch } = {};
  const host = new RunHost(backends, (e) => {
    if (e.kind === 'status') switcher.current!.status = e.status;
  });
  switcher.current = new BackendSwitch(backends, host);
  const configure = async (config: object) => {
    const { config: run } = await host.handle({ type: 'configure', config: JSON.stringify(config) });
    switcher.current!.runChanged(run);
  };
  return { backends, host, sw: switcher.current, configure, measured, inUse: async () => (await backends.current()).backend.name };
}

describe('BackendSwitch', () => {
  it("applies the user's pick at once while the run is idle, and trains on it", async () => {
    const { host, sw, configure, inUse } = await setup();
    await configure(TINY_RUN);
    expect((await sw.probe(null)).choice).toMatchObject({ chosen: 'wasm', by: 'measurement' });
    const picked = await sw.probe('webgpu');
    expect(picked.choice).toMatchObject({ chosen: 'webgpu', by: 'override' });
    expect(picked.pending).toBeUndefined();
    await host.handle({ type: 'warmStart' });
    expect(await inUse()).toBe('webgpu');
    await host.handle({ type: 'reset' });
  });

  it('keeps a run with progress on its backend and applies the pick at the reset', async () => {
    const { host, sw, configure, inUse } = await setup();
    await configure(TINY_RUN);
    await host.handle({ type: 'warmStart' });
    const waiting = await sw.probe('webgpu');
    expect(waiting.pending).toBe('WebGPU applies when this run is reset: its progress stays on the CPU path');
    expect(waiting.choice.chosen).toBe('wasm');
    await host.handle({ type: 'step' });
    expect(await inUse()).toBe('wasm');
    await host.handle({ type: 'reset' });
    expect(await inUse()).toBe('webgpu');
    expect((await sw.probe()).choice).toMatchObject({ chosen: 'webgpu', by: 'override' });
    await host.handle({ type: 'reset' });
  });

  it('ignores a picked name this build does not have, and measures a much larger model again', async () => {
    const { sw, configure, measured } = await setup();
    await configure(TINY_RUN);
    expect((await sw.probe('quantum' as never)).choice.by).toBe('measurement');
    await configure({ ...TINY_RUN, model: { preset: 'small', contextLength: 16 } });
    await sw.probe();
    expect(measured.map((r) => r.model.preset)).toEqual(['tiny', 'small']);
  });
});
