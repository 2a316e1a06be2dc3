/** `--backend cpu|wasm|webgpu` for CLI commands (WebGPU through Dawn in Node). */
import type { Backend } from '../engine/backend';
import { createCpuBackend } from '../engine/backend/cpu';
import { createWasmBackend } from '../engine/backend/wasm';
import { createNodeWebGpuBackend } from '../node/gpu';
import type { Flags } from './args';
import { UsageError } from './args';

export async function backendFrom(flags: Flags): Promise<Backend> {
  const name = flags.choice('backend', ['cpu', 'wasm', 'webgpu'] as const, 'cpu');
  if (name === 'cpu') return createCpuBackend();
  if (name === 'wasm') return createWasmBackend();
  try {
    return await createNodeWebGpuBackend();
  } catch (e) {
    throw new UsageError(`--backend webgpu: ${(e as Error).message}`);
  }
}
