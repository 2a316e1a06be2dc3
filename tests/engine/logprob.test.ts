import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { Rng } from '../../src/engine/rng';
import { assertClose } from '../harness/compare';
import { cpuSideBackends } from '../harness/cpuSideBackends';
import { gradcheck } from '../harness/gradcheck';
import { randint, randn } from '../harness/random';

const tol = { atol: 1e-6, rtol: 1e-5 };
const entropyOf = (p: number[]) => -p.reduce((acc, q) => acc + q * Math.log(q), 0);

describe('logprob oracle', () => {
  const be = createCpuBackend();

  it('computes log-probs and entropy by hand, at temperature 1 and 2', async () => {
    // At T = 1: row 0 has p = [1, 2, 3]/6, row 1 (logits 2·ln[1, 4, 9]) p = [1, 16, 81]/98.
    const logits = be.fromArray([0, Math.log(2), Math.log(3), 0, 2 * Math.log(4), 2 * Math.log(9)], [2, 3]);
    const targets = be.fromArray([2, 0], [2], 'i32');
    const logp = be.zeros([2]), entropy = be.zeros([2]);
    be.tokenLogprobs(logits, targets, logp, entropy, 1);
    assertClose('logp T=1', await be.read(logp), [Math.log(3 / 6), Math.log(1 / (1 + 16 + 81))], tol);
    assertClose('entropy T=1', await be.read(entropy), [entropyOf([1 / 6, 2 / 6, 3 / 6]), entropyOf([1, 16, 81].map((v) => v / 98))], tol);
    be.tokenLogprobs(logits, targets, logp, entropy, 2);
    // At T = 2 row 0 becomes p ∝ [1, √2, √3] and row 1 p ∝ [1, 4, 9].
    const r0 = [1, Math.SQRT2, Math.sqrt(3)].map((v, _, a) => v / (a[0] + a[1] + a[2]));
    assertClose('logp T=2', await be.read(logp), [Math.log(r0[2]), Math.log(1 / 14)], tol);
    assertClose('entropy T=2', await be.read(entropy), [entropyOf(r0), entropyOf([1 / 14, 4 / 14, 9 / 14])], tol);
  });

  it('stays finite for huge logits (max-shifted) and gives log V entropy for a flat row', async () => {
    const logits = be.fromArray([1000, 1000, -1000, 5, 5, 5, 5], [1, 7]);
    const logp = be.zeros([1]), entropy = be.zeros([1]);
    be.tokenLogprobs(logits, be.fromArray([1], [1], 'i32'), logp, entropy, 1);
    assertClose('huge logp', await be.read(logp), [-Math.log(2)], tol);
    assertClose('huge entropy', await be.read(entropy), [Math.log(2)], tol);
    const flat = be.fromArray(new Float32Array(50).fill(3), [1, 50]);
    be.tokenLogprobs(flat, be.fromArray([7], [1], 'i32'), logp, entropy, 0.3);
    assertClose('flat', [...(await be.read(logp)), ...(await be.read(entropy))], [-Math.log(50), Math.log(50)], tol);
  });

  it('crossEntropy writes weighted loss and overwrites dlogits in one pass', async () => {
    // p = [1/4, 3/4]; row 1 has weight 0 and must be fully ignored.
    const logits = be.fromArray([0, Math.log(3), 2, -1], [2, 2]);
    const loss = be.zeros([2]);
    const dlogits = be.fromArray([9, 9, 9, 9], [2, 2]);
    be.crossEntropy(logits, be.fromArray([0, 1], [2], 'i32'), be.fromArray([2, 0], [2]), loss, dlogits);
    assertClose('loss', await be.read(loss), [2 * Math.log(4), 0], tol);
    assertClose('dlogits', await be.read(dlogits), [-1.5, 1.5, 0, 0], tol);
  });

  it('tokenLogprobsBackward accumulates into dlogits', async () => {
    // dlogp = 1 at T = 1 with p = [1/4, 3/4], target 1: ∂logp/∂z = onehot − p = [−1/4, 1/4].
    const logits = be.fromArray([0, Math.log(3)], [1, 2]);
    const dlogits = be.fromArray([10, 20], [1, 2]);
    be.tokenLogprobsBackward(logits, be.fromArray([1], [1], 'i32'), be.fromArray([1], [1]), null, dlogits, 1);
    assertClose('dlogits', await be.read(dlogits), [10 - 0.25, 20 + 0.25], tol);
  });

  it('names the op and the shapes on bad input', () => {
    const logits = be.zeros([2, 5]), t = be.zeros([2], 'i32'), v = be.zeros([2]);
    expect(() => be.tokenLogprobs(be.zeros([10]), t, v, null, 1)).toThrow(/tokenLogprobs: logits has shape \[10\], expected \[-1,-1\]/);
    expect(() => be.tokenLogprobs(logits, be.zeros([2]), v, null, 1)).toThrow(/tokenLogprobs: targets has dtype f32, expected i32/);
    expect(() => be.tokenLogprobs(logits, t, be.zeros([3]), null, 1)).toThrow(/tokenLogprobs: logp has shape \[3\], expected \[2\]/);
    expect(() => be.tokenLogprobs(logits, t, v, be.zeros([1]), 1)).toThrow(/tokenLogprobs: entropy/);
    expect(() => be.tokenLogprobs(logits, t, v, null, 0)).toThrow(/tokenLogprobs: temperature/);
    expect(() => be.tokenLogprobs(be.zeros([2, 0]), t, v, null, 1)).toThrow(/tokenLogprobs: .*empty vocabulary/);
    expect(() => be.tokenLogprobsBackward(logits, t, v, null, be.zeros([5, 2]), 1)).toThrow(
      /tokenLogprobsBackward: dlogits has shape \[5,2\], expected \[2,5\]/,
    );
    expect(() => be.crossEntropy(logits, t, be.zeros([3]), v, be.zeros([2, 5]))).toThrow(/crossEntropy: weights has shape \[3\]/);
    expect(() => be.crossEntropy(logits, be.fromArray([0, 5], [2], 'i32'), v, v, be.zeros([2, 5]))).toThrow(
      /crossEntropy: targets\[1\] = 5 is outside \[0, 5\)/,
    );
  });
});

describe.each(await cpuSideBackends())('logprob backward on $name (finite differences)', ({ be }) => {
  const N = 4, V = 7;
  const setup = (seed: number) => {
    const rng = new Rng(seed);
    return { logits: be.fromArray(randn(rng, N * V, 1.5), [N, V]), targets: be.fromArray(randint(rng, N, V), [N], 'i32') };
  };

  it('tokenLogprobsBackward: logp and entropy terms at temperature 0.7', () => {
    const { logits, targets } = setup(11);
    const logp = be.zeros([N]), entropy = be.zeros([N]);
    gradcheck({
      be,
      wrt: { logits },
      forward: () => (be.tokenLogprobs(logits, targets, logp, entropy, 0.7), [logp, entropy]),
      backward: ([dlogp, dentropy]) => {
        const dlogits = be.zeros([N, V]);
        be.tokenLogprobsBackward(logits, targets, dlogp, dentropy, dlogits, 0.7);
        return { logits: dlogits };
      },
    });
  });

  it('tokenLogprobsBackward: entropy term alone at temperature 1.6', () => {
    const { logits, targets } = setup(12);
    const logp = be.zeros([N]), entropy = be.zeros([N]);
    gradcheck({
      be,
      wrt: { logits },
      forward: () => (be.tokenLogprobs(logits, targets, logp, entropy, 1.6), entropy),
      backward: ([dentropy]) => {
        const dlogits = be.zeros([N, V]);
        be.tokenLogprobsBackward(logits, targets, be.zeros([N]), dentropy, dlogits, 1.6);
        return { logits: dlogits };
      },
    });
  });

  it('tokenLogprobsBackward: logp term alone (dentropy null) at temperature 1', () => {
    const { logits, targets } = setup(13);
    const logp = be.zeros([N]);
    gradcheck({
      be,
      wrt: { logits },
      forward: () => (be.tokenLogprobs(logits, targets, logp, null, 1), logp),
      backward: ([dlogp]) => {
        const dlogits = be.zeros([N, V]);
        be.tokenLogprobsBackward(logits, targets, dlogp, null, dlogits, 1);
        return { logits: dlogits };
      },
    });
  });

  it('crossEntropy dlogits', () => {
    const { logits, targets } = setup(14);
    const weights = be.fromArray([0.5, 0, 1, 2], [N]);
    const loss = be.zeros([N]);
    gradcheck({
      be,
      wrt: { logits },
      forward: () => (be.crossEntropy(logits, targets, weights, loss, be.zeros([N, V])), loss),
      // dlogits is the gradient of Σ loss; for Σ dout·loss fold dout into the row weights.
      backward: ([dout]) => {
        const scaled = be.zeros([N]);
        be.mul(weights, dout, scaled);
        const dlogits = be.zeros([N, V]);
        be.crossEntropy(logits, targets, scaled, be.zeros([N]), dlogits);
        return { logits: dlogits };
      },
    });
  });
});
