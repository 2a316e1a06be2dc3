/** The engine worker's backend choice: WebGPU when a device comes up, else CPU carrying the reason. */
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/worker/selectBackend';
import { nodeGpu } from '../../src/node/gpu';

describe('selectBackend', () => {
  it('falls back to the CPU backend when there is no WebGPU', async () => {
    const s = await selectBackend(undefined);
    expect(s.backend.name).toBe('cpu');
    expect(s.device.backend).toBe('cpu');
    expect(s.fallbackReason).toMatch(/navigator\.gpu is undefined/);
  });

  it('falls back with the reason when no adapter is offered', async () => {
    const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
    const s = await selectBackend(noAdapter);
    expect(s.device.backend).toBe('cpu');
    expect(s.fallbackReason).toMatch(/requestAdapter\(\) returned null/);
  });

  it('uses WebGPU when an adapter and device are available (Dawn in Node)', async () => {
    const s = await selectBackend(await nodeGpu());
    try {
      expect(s.fallbackReason).toBeUndefined();
      expect(s.backend.name).toBe('webgpu');
      expect(s.device.backend).toBe('webgpu');
      expect(s.device.description.length).toBeGreaterThan(0);
    } finally {
      s.backend.dispose();
    }
  });
});
