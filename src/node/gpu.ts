/**
 * WebGPU in Node through the npm `webgpu` package (Dawn). Node-only: the CLI, the bench and Node tests use it;
 * the app and workers use navigator.gpu instead.
 */
import { createWebGpuBackend, type WebGpuBackend } from '../engine/backend/webgpu';

export async function nodeGpu(): Promise<GPU> {
  const dawn = (await import('webgpu')) as unknown as { create: (flags: string[]) => GPU; globals: object };
  // Dawn's GPUBufferUsage, GPUMapMode, ... constants are not globals in Node until installed.
  Object.assign(globalThis, dawn.globals);
  return dawn.create([]);
}

export async function createNodeWebGpuBackend(): Promise<WebGpuBackend> {
  return createWebGpuBackend(await nodeGpu());
}
