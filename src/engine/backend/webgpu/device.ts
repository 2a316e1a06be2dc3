/**
 * Adapter and device acquisition. The caller passes the GPU entry point: `navigator.gpu` in a page or worker,
 * or the object from the npm `webgpu` package (Dawn) in Node, so this file runs in all three places.
 */
import type { DeviceInfo } from '../../backend';
import { GpuError } from './errors';

export interface AcquiredDevice {
  device: GPUDevice;
  info: DeviceInfo;
  /** Held for the device's lifetime: in Node, a garbage-collected Dawn instance takes its devices down with it. */
  gpu: GPU;
}

export async function acquireDevice(gpu: GPU | undefined | null): Promise<AcquiredDevice> {
  if (!gpu) throw new GpuError('unavailable', 'this environment has no WebGPU (navigator.gpu is undefined)');
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new GpuError('unavailable', 'requestAdapter() returned null (no usable GPU adapter)');
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    label: 'GrpoPlayground.device',
    // Kernel timing (the bench's per-family GPU time) where the adapter offers it; nothing depends on it.
    requiredFeatures: adapter.features.has('timestamp-query') ? ['timestamp-query'] : [],
    requiredLimits: {
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
    },
  });
  const a = adapter.info;
  return {
    device,
    gpu,
    info: {
      backend: 'webgpu',
      vendor: a.vendor || 'unknown',
      architecture: a.architecture || 'unknown',
      description: a.description || `${a.vendor} ${a.architecture}`.trim(),
      isFallbackAdapter: Boolean((a as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter),
    },
  };
}
