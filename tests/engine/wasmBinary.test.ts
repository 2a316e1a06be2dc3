import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { BINARY_MODULE, binaryModuleSource, compileKernels } from '../../scripts/build-wasm';

// The compiled kernels are committed (src/engine/backend/wasm/binary.ts) so nobody needs a build step; this
// keeps them honest: the committed module must be exactly what the AssemblyScript sources in wasm/ compile to.
describe('wasm kernels binary', () => {
  it('is current with wasm/*.ts (run `npm run build:wasm` after editing them)', async () => {
    const committed = await readFile(BINARY_MODULE, 'utf8');
    expect(committed === binaryModuleSource(await compileKernels()), 'binary.ts is stale: run `npm run build:wasm`').toBe(true);
  });
});
