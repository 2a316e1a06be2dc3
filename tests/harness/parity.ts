/**
 * Fast-backend-vs-oracle parity: run the same closure on the cpu backend and on each fast backend — webgpu and
 * wasm — (inputs come from a seeded Rng inside the closure, so all see identical data) and compare every
 * returned tensor.
 */
import type { Backend } from '../../src/engine/backend';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import type { Tensor } from '../../src/engine/tensor';
import { assertClose, type Tolerance } from './compare';
import { gpuBackend } from './gpu';
import { wasmBackend } from './wasm';

export type Outputs = Record<string, Tensor>;

export async function expectParity(
  what: string,
  run: (be: Backend) => Outputs | Promise<Outputs>,
  tol: Tolerance = { atol: 1e-5, rtol: 1e-4 },
): Promise<void> {
  const cpu = createCpuBackend();
  const want = await run(cpu);
  for (const fast of [await gpuBackend(), await wasmBackend()]) {
    const got = await run(fast);
    for (const [name, t] of Object.entries(want)) {
      const g = got[name];
      if (!g) throw new Error(`${what}: ${fast.name} run returned no ${name}`);
      assertClose(`${what} ${name} (${fast.name})`, await fast.read(g), await cpu.read(t), tol);
      fast.release(g);
    }
  }
}
