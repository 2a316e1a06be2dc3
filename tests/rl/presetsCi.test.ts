/**
 * The reduced preset check CI runs on every change: each preset marked `ci` (a claim that holds within its few
 * iterations) runs headless on the fast CPU path (wasm, parity-tested against the oracle) with seed 1, exactly as
 * `npm run presets -- --check --ci` does, and its claim must hold. The full run over three seeds is
 * `npm run presets -- --check --seeds 1,2,3`.
 */
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../../src/engine/backend/wasm';
import { PRESETS } from '../../src/rl/presets/catalog';
import { runPreset } from '../../src/rl/presets/harness';

const CI_PRESETS = PRESETS.filter((p) => p.ci);

describe('preset claims in CI (seed 1, wasm)', () => {
  it('has presets to check', () => expect(CI_PRESETS.length).toBeGreaterThan(0));

  it.each(CI_PRESETS.map((p) => [p.id, p] as const))('%s: its claim holds', async (_id, preset) => {
    const result = await runPreset(preset, 1, { backend: createWasmBackend });
    const failed = result.checks.filter((c) => !c.pass).map((c) => `${c.text}: ${c.a.toFixed(3)} → ${c.b.toFixed(3)}`);
    expect(failed).toEqual([]);
  }, 600_000);
});
