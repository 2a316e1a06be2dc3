import { describe, it } from 'vitest';
import type { Backend } from '../../src/engine/backend';
import type { AttentionMask, HeadMixOptions, MtaPadKey } from '../../src/engine/kernels';
import { Rng } from '../../src/engine/rng';
import { expectParity } from '../harness/parity';
import { randn } from '../harness/random';

interface ShapeClass {
  name: string;
  B: number;
  H: number;
  T: number;
  S: number;
  cq: number;
  ck: number;
  qPos0: number;
  /** First valid key per sequence, or none (no left padding). */
  keyStart?: number[];
  /** Head groupings exercised by headMix (each with both layouts). */
  groupSizes: number[];
}

// Shape classes: tiny; odd sizes (not a multiple of the 256-wide workgroup) with qPos0 and left padding; larger,
// with the released c_q = 6, c_k = 11 (the weight-gradient reductions then loop over several strides).
const CLASSES: ShapeClass[] = [
  { name: 'tiny', B: 1, H: 2, T: 3, S: 3, cq: 2, ck: 3, qPos0: 0, groupSizes: [2, 1] },
  { name: 'odd', B: 2, H: 3, T: 7, S: 9, cq: 3, ck: 5, qPos0: 2, keyStart: [0, 3], groupSizes: [3] },
  { name: 'larger', B: 2, H: 4, T: 40, S: 40, cq: 6, ck: 11, qPos0: 0, keyStart: [5, 0], groupSizes: [4, 2] },
];
const PADS: MtaPadKey[] = ['both', 'left', 'right'];
// The weight gradients sum up to B·T·S products in a different order than the oracle.
const TOL = { atol: 1e-4, rtol: 1e-4 };

function mapInputs(be: Backend, c: ShapeClass, seed: number) {
  const rng = new Rng(seed);
  const shape = [c.B, c.H, c.T, c.S];
  const n = c.B * c.H * c.T * c.S;
  const mask: AttentionMask = {
    qPos0: c.qPos0,
    kLen: c.S,
    keyStart: c.keyStart ? be.fromArray(c.keyStart, [c.B], 'i32') : undefined,
  };
  return { rng, shape, mask, x: be.fromArray(randn(rng, n), shape), dout: be.fromArray(randn(rng, n), shape) };
}

describe('mta: webgpu and wasm vs cpu oracle', () => {
  for (const c of CLASSES) {
    for (const pad of PADS) {
      it(`mtaConv + mtaConvBackward ${c.name} pad=${pad}`, async () => {
        await expectParity(
          `mtaConv ${c.name} ${pad}`,
          (be) => {
            const { rng, shape, mask, x, dout } = mapInputs(be, c, 7);
            const kernel = be.fromArray(randn(rng, c.H * c.cq * c.ck), [c.H, c.cq, c.ck]);
            const out = be.zeros(shape);
            const dx = be.fromArray(randn(rng, x.numel), shape);
            const dkernel = be.fromArray(randn(rng, kernel.numel), kernel.shape);
            be.mtaConv(x, kernel, out, mask, pad);
            be.mtaConvBackward(dout, x, kernel, dx, dkernel, mask, pad);
            return { out, dx, dkernel };
          },
          TOL,
        );
      });
    }
    for (const groupSize of c.groupSizes) {
      for (const layout of ['linear', 'inOut'] as const) {
        it(`headMix + headMixBackward ${c.name} groupSize=${groupSize} ${layout}`, async () => {
          const opts: HeadMixOptions = { groupSize, layout };
          await expectParity(
            `headMix ${c.name} ${groupSize} ${layout}`,
            (be) => {
              const { rng, shape, x, dout } = mapInputs(be, c, 8);
              // Full linear mixing takes the nn.Linear weight [H,H] as is.
              const wShape = groupSize === c.H && layout === 'linear' ? [c.H, c.H] : [c.H / groupSize, groupSize, groupSize];
              const weight = be.fromArray(randn(rng, c.H * groupSize), wShape);
              const out = be.zeros(shape);
              const dx = be.fromArray(randn(rng, x.numel), shape);
              const dweight = be.fromArray(randn(rng, weight.numel), wShape);
              be.headMix(x, weight, out, opts);
              be.headMixBackward(dout, x, weight, dx, dweight, opts);
              return { out, dx, dweight };
            },
            TOL,
          );
        });
      }
    }
  }
});
