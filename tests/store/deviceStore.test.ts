/** The device store's probe lifecycle: one probe at a time, results and failures both end in a visible state. */
import { beforeEach, describe, expect, it } from 'vitest';
import { useDeviceStore } from '../../src/store/deviceStore';
import type { DeviceInfo } from '../../src/engine/backend';

const gpuInfo: DeviceInfo = {
  backend: 'webgpu',
  vendor: 'google',
  architecture: 'swiftshader',
  description: 'SwiftShader',
  isFallbackAdapter: true,
};

beforeEach(() => useDeviceStore.setState({ state: { status: 'idle' } }));

describe('deviceStore.probe', () => {
  it('moves idle → probing → ready with the device and fallback reason', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const done = useDeviceStore.getState().probe(async () => {
      await gate;
      return { device: gpuInfo };
    });
    expect(useDeviceStore.getState().state.status).toBe('probing');
    release();
    await done;
    expect(useDeviceStore.getState().state).toEqual({ status: 'ready', device: gpuInfo, fallbackReason: undefined });
  });

  it('records a failed probe as an error with its message', async () => {
    await useDeviceStore.getState().probe(async () => {
      throw new Error('engine worker failed: boom');
    });
    expect(useDeviceStore.getState().state).toEqual({ status: 'error', error: 'engine worker failed: boom' });
  });

  it('does not start a second probe while one has run', async () => {
    let calls = 0;
    const run = async () => {
      calls++;
      return { device: gpuInfo };
    };
    await useDeviceStore.getState().probe(run);
    await useDeviceStore.getState().probe(run);
    expect(calls).toBe(1);
  });
});
