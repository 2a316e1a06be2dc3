/**
 * GPU-vs-oracle parity: run the same closure on the cpu backend and the webgpu backend (inputs come from a
 * seeded Rng inside the closure, so both see identical data) and compare every returned tensor.
 */
import type { Backend } from '../../src/engine/backend';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import type { Tensor } from '../../src/engine/tensor';
import { assertClose, type Tolerance } from './compare';
import { gpuBackend } from './gpu';

export type Outputs = Record<string, Tensor>;

export async function expectParity(
  what: string,
  run: (be: Backend) => Outputs | Promise<Outputs>,
  tol: Tolerance = { atol: 1e-5, rtol: 1e-4 },
): Promise<void> {
  const cpu = createCpuBackend();
  const gpu = await gpuBackend();
  const want = await run(cpu);
  const got = await run(gpu);
  for (const [name, t] of Object.entries(want)) {
    const g = got[name];
    if (!g) throw new Error(`${what}: gpu run returned no ${name}`);
    assertClose(`${what} ${name}`, await gpu.read(g), await cpu.read(t), tol);
    gpu.release(g);
  }
}
