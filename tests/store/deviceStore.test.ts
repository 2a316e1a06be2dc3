/**
 * The device store: one probe at a time, results and failures both end in a visible state; the user's backend
 * pick is kept in localStorage, sent with the probe, and survives a new store (a reload).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BackendName, DeviceInfo } from '../../src/engine/backend';
import type { ProbeResult } from '../../src/worker/protocol';

const gpuInfo: DeviceInfo = {
  backend: 'webgpu',
  vendor: 'google',
  architecture: 'swiftshader',
  description: 'SwiftShader',
  isFallbackAdapter: true,
};

const result = (chosen: BackendName, by: 'measurement' | 'override' = 'measurement'): ProbeResult => ({
  device: chosen === 'webgpu' ? gpuInfo : { ...gpuInfo, backend: 'cpu' },
  choice: { chosen, by, reason: 'because', timings: [], margin: 1, work: 1 },
  pickable: ['webgpu', 'cpu'],
});

/** A fresh module (as after a reload) on an in-memory localStorage. */
async function freshStore() {
  vi.resetModules();
  return (await import('../../src/store/deviceStore')).useDeviceStore;
}

const saved = new Map<string, string>();
beforeEach(() => {
  saved.clear();
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => saved.get(k) ?? null,
    setItem: (k: string, v: string) => void saved.set(k, v),
    removeItem: (k: string) => void saved.delete(k),
  });
});
afterEach(() => vi.unstubAllGlobals());

describe('deviceStore.probe', () => {
  it('moves idle → probing → ready with the engine’s answer', async () => {
    const store = await freshStore();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const done = store.getState().probe(async () => {
      await gate;
      return result('webgpu');
    });
    expect(store.getState().state.status).toBe('probing');
    release();
    await done;
    expect(store.getState().state).toEqual({ status: 'ready', ...result('webgpu') });
  });

  it('records a failed probe as an error with its message', async () => {
    const store = await freshStore();
    await store.getState().probe(async () => {
      throw new Error('engine worker failed: boom');
    });
    expect(store.getState().state).toEqual({ status: 'error', error: 'engine worker failed: boom' });
  });

  it('does not start a second probe while one has run', async () => {
    const store = await freshStore();
    let calls = 0;
    const run = async () => {
      calls++;
      return result('cpu');
    };
    await store.getState().probe(run);
    await store.getState().probe(run);
    expect(calls).toBe(1);
  });
});

describe('deviceStore.setOverride', () => {
  it('keeps the pick across a reload and sends it with every probe; null goes back to the measurement', async () => {
    const sent: Array<BackendName | null> = [];
    const engine = async (o: BackendName | null) => (sent.push(o), o ? result(o, 'override') : result('cpu'));
    const first = await freshStore();
    await first.getState().probe(engine);
    await first.getState().setOverride('webgpu', engine);
    expect(first.getState().state).toMatchObject({ status: 'ready', choice: { chosen: 'webgpu', by: 'override' } });

    const reloaded = await freshStore();
    expect(reloaded.getState().override).toBe('webgpu');
    await reloaded.getState().probe(engine);
    await reloaded.getState().setOverride(null, engine);
    expect(sent).toEqual([null, 'webgpu', 'webgpu', null]);
    expect((await freshStore()).getState().override).toBeNull();
  });

  it('shows a backend the engine selected on its own', async () => {
    const store = await freshStore();
    store.getState().update(result('webgpu'));
    expect(store.getState().state).toMatchObject({ status: 'ready', device: { backend: 'webgpu' } });
  });
});
