import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import type { ActivationKind } from '../../src/engine/kernels';
import { Rng } from '../../src/engine/rng';
import { assertClose } from '../harness/compare';
import { gradcheck } from '../harness/gradcheck';
import { randn } from '../harness/random';

const be = createCpuBackend();
const KINDS: ActivationKind[] = ['relu', 'silu', 'gelu', 'sigmoid'];

describe('activation oracle', () => {
  it('matches hand-computed values at -1, 0, 1', async () => {
    const x = be.fromArray([-1, 0, 1], [3]), out = be.zeros([3]);
    // σ(1) = 0.7310586; GELU-tanh(1) = 0.5·(1 + tanh(√(2/π)·1.044715)) = 0.8411920.
    const want: Record<ActivationKind, number[]> = {
      relu: [0, 0, 1],
      silu: [-0.2689414, 0, 0.7310586],
      gelu: [-0.1588080, 0, 0.8411920],
      sigmoid: [0.2689414, 0.5, 0.7310586],
    };
    for (const kind of KINDS) {
      be.activation(x, out, kind);
      assertClose(kind, await be.read(out), want[kind], { atol: 1e-6, rtol: 0 });
    }
  });

  it('stays finite far from 0', async () => {
    const x = be.fromArray([-200, -30, 30, 200], [4]), out = be.zeros([4]), dx = be.zeros([4]);
    for (const kind of KINDS) {
      be.activation(x, out, kind);
      be.activationBackward(x, be.fromArray([1, 1, 1, 1], [4]), dx, kind);
      expect([...(await be.read(out)), ...(await be.read(dx))].every(Number.isFinite), kind).toBe(true);
    }
  });

  for (const kind of KINDS) {
    it(`${kind} backward matches finite differences`, () => {
      // Keep inputs away from relu's kink at 0, where the finite difference is not the derivative.
      const data = randn(new Rng(7), 24, 2).map((v) => (Math.abs(v) < 0.05 ? v + 0.1 : v));
      const x = be.fromArray(data, [4, 6]);
      const out = be.zeros([4, 6]);
      gradcheck({
        be,
        wrt: { x },
        forward: () => (be.activation(x, out, kind), out),
        backward: ([dout]) => {
          const dx = be.zeros([4, 6]);
          be.activationBackward(x, dout, dx, kind);
          return { x: dx };
        },
      });
    });
  }

  it('backward accumulates into dx', async () => {
    const x = be.fromArray([-1, 2], [2]), dx = be.fromArray([10, 20], [2]);
    be.activationBackward(x, be.fromArray([3, 5], [2]), dx, 'relu');
    expect(Array.from(await be.read(dx))).toEqual([10, 25]);
  });

  it('names the kernel and shapes on bad input', () => {
    expect(() => be.activation(be.zeros([2, 3]), be.zeros([3, 2]), 'relu')).toThrow(/activation: shape mismatch .*\[2,3\] vs .*\[3,2\]/);
    expect(() => be.activationBackward(be.zeros([4]), be.zeros([4]), be.zeros([5]), 'gelu')).toThrow(/activationBackward: shape mismatch/);
    expect(() => be.activation(be.zeros([2]), be.zeros([2]), 'tanh' as ActivationKind)).toThrow(/activation: unknown activation kind 'tanh'/);
  });
});
