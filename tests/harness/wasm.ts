/** One wasm backend shared by a test file (instantiating the module per test would only add time). */
import type { Backend } from '../../src/engine/backend';
import { createWasmBackend } from '../../src/engine/backend/wasm';

let shared: Promise<Backend> | null = null;

export function wasmBackend(): Promise<Backend> {
  shared ??= createWasmBackend();
  return shared;
}
