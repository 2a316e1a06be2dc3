/**
 * The backends whose tensors live in CPU memory: the plain-TS oracle and the wasm fast path. Finite-difference
 * checks (harness/gradcheck) read tensor data directly, so they run on each of these with one test body.
 */
import type { Backend } from '../../src/engine/backend';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { wasmBackend } from './wasm';

export interface NamedBackend {
  name: 'cpu' | 'wasm';
  be: Backend;
}

export async function cpuSideBackends(): Promise<NamedBackend[]> {
  return [
    { name: 'cpu', be: createCpuBackend() },
    { name: 'wasm', be: await wasmBackend() },
  ];
}
