/**
 * The WebGPU backend for tests: `navigator.gpu` inside Chromium (Vitest browser project), the npm `webgpu`
 * package (Dawn on lavapipe/SwiftShader) in Node. No adapter is a test FAILURE, never a skip: CI must run
 * the GPU suite for real (scripts/install-system-deps.sh installs the drivers).
 */
import { createWebGpuBackend, type WebGpuBackend } from '../../src/engine/backend/webgpu';

let shared: Promise<WebGpuBackend> | null = null;

async function nodeGpu(): Promise<GPU> {
  // A variable specifier keeps the browser project from bundling the Node-only Dawn binding.
  const path = '../../src/node/gpu';
  return ((await import(/* @vite-ignore */ path)) as typeof import('../../src/node/gpu')).nodeGpu();
}

export function gpuBackend(): Promise<WebGpuBackend> {
  shared ??= (async () => {
    const inBrowser = typeof window !== 'undefined';
    const gpu = inBrowser ? navigator.gpu : await nodeGpu();
    try {
      return await createWebGpuBackend(gpu);
    } catch (e) {
      throw new Error(
        `GPU test suite cannot run: ${(e as Error).message}. In Node this needs a Vulkan driver ` +
          '(run scripts/install-system-deps.sh as root); in Chromium it needs --enable-unsafe-webgpu.',
      );
    }
  })();
  return shared;
}
