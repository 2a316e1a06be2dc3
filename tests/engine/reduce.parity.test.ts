import { describe, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { expectParity } from '../harness/parity';
import { randint, randn } from '../harness/random';

// Shape classes: tiny; reduced sizes that are not multiples of the 256-wide workgroup; larger (~250k elements).
const SHAPES = [
  [2, 3, 4],
  [3, 37, 131],
  [48, 64, 80],
];

describe('reduce: webgpu and wasm vs cpu oracle', () => {
  for (const shape of SHAPES) {
    for (const axis of [0, 1, 2]) {
      it(`sum/mean/max/broadcastBackward/maxBackward x=[${shape}] axis=${axis}`, async () => {
        await expectParity(`reduce [${shape}] axis ${axis}`, (be) => {
          const rng = new Rng(shape[1] * 10 + axis);
          const count = shape.reduce((p, d) => p * d, 1);
          const outShape = shape.filter((_, i) => i !== axis);
          const reduced = count / shape[axis];
          const x = be.fromArray(randn(rng, count), shape);
          const sum = be.zeros(outShape), mean = be.zeros(outShape), max = be.zeros(outShape);
          const argmax = be.zeros(outShape, 'i32');
          be.sum(x, axis, sum);
          be.mean(x, axis, mean);
          be.max(x, axis, max, argmax);
          const dout = be.fromArray(randn(rng, reduced), outShape);
          const dxBroadcast = be.fromArray(randn(rng, count), shape);
          be.broadcastBackward(dout, axis, 0.25, dxBroadcast);
          // maxBackward gets its own random indices so its check does not depend on max's.
          const dxMax = be.fromArray(randn(rng, count), shape);
          be.maxBackward(dout, be.fromArray(randint(rng, reduced, shape[axis]), outShape, 'i32'), axis, dxMax);
          return { sum, mean, max, argmax, dxBroadcast, dxMax };
        });
      });
    }
  }
});
