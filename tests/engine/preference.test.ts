import { describe, expect, it } from 'vitest';
import { Graph } from '../../src/engine/autograd';
import type { Backend } from '../../src/engine/backend';
import { dpoLoss, maskedSequenceSum } from '../../src/engine/ops/preference';
import { Rng } from '../../src/engine/rng';
import { assertClose } from '../harness/compare';
import { cpuSideBackends } from '../harness/cpuSideBackends';
import { randn } from '../harness/random';

const backends = await cpuSideBackends();

/** The DPO loss and its gradient with respect to the policy log-probs [2, P], in float64, from the formula. */
function dpoByHand(policy: ArrayLike<number>, reference: ArrayLike<number>, beta: number) {
  const P = policy.length / 2;
  const margins = Array.from({ length: P }, (_, i) => beta * (policy[i] - reference[i] - (policy[P + i] - reference[P + i])));
  const loss = margins.reduce((a, m) => a + Math.log1p(Math.exp(-m)), 0) / P;
  // d(−log σ(m))/dm = −σ(−m); dm/dπc = β, dm/dπr = −β.
  const dm = margins.map((m) => -1 / (1 + Math.exp(m)) / P);
  return { margins, loss, grad: [...dm.map((d) => beta * d), ...dm.map((d) => -beta * d)] };
}

/** Runs dpoLoss with the policy as a parameter; returns the read-back outputs and the policy gradient. */
async function runDpo(be: Backend, policy: number[], reference: number[], beta: number) {
  const P = policy.length / 2;
  const g = new Graph(be);
  const pi = g.param(be.fromArray(policy, [2, P]), be.zeros([2, P]));
  const out = dpoLoss(g, pi, g.input(reference, [2, P]), beta);
  g.backward(out.loss);
  const [loss, rewards, margins, accuracies, grad] = await Promise.all([out.loss, out.rewards, out.margins, out.accuracies, g.grad(pi)].map((t) => be.read(t)));
  g.dispose();
  return { loss: loss[0], rewards, margins, accuracies, grad };
}

describe.each(backends)('dpoLoss on $name', ({ be }) => {
  it('matches the formula: loss, rewards, margins, accuracies and the gradient', async () => {
    const policy = [-3.2, -1.0, -7.5, -2.0, -4.1, -1.5, -6.0, -2.5];
    const reference = [-3.0, -1.4, -7.0, -2.2, -4.0, -1.0, -6.2, -2.5];
    for (const beta of [0.1, 0.5, 2]) {
      const got = await runDpo(be, policy, reference, beta);
      const want = dpoByHand(policy, reference, beta);
      assertClose(`β=${beta} loss`, [got.loss], [want.loss], { atol: 1e-6, rtol: 1e-6 });
      assertClose(`β=${beta} rewards`, got.rewards, policy.map((p, i) => beta * (p - reference[i])), { atol: 1e-6, rtol: 1e-6 });
      assertClose(`β=${beta} margins`, got.margins, want.margins, { atol: 1e-6, rtol: 1e-6 });
      expect(Array.from(got.accuracies), `β=${beta}`).toEqual(want.margins.map((m) => (m > 0 ? 1 : 0)));
      assertClose(`β=${beta} gradient`, got.grad, want.grad, { atol: 1e-7, rtol: 1e-5 });
    }
  });

  it('a hand-computed pair: rewards ±0.25, loss log(1 + e^−0.5)', async () => {
    const got = await runDpo(be, [-1, -2], [-1.5, -1.5], 0.5);
    assertClose('loss', [got.loss], [0.474077], { atol: 1e-6, rtol: 0 });
    assertClose('rewards', got.rewards, [0.25, -0.25], { atol: 1e-7, rtol: 0 });
    expect(Array.from(got.accuracies)).toEqual([1]);
    // dL/dπc = −β·σ(−0.5) = −0.5·0.3775407
    assertClose('gradient', got.grad, [-0.18877035, 0.18877035], { atol: 1e-7, rtol: 0 });
  });

  it('gradient matches finite differences of the loss', async () => {
    const rng = new Rng(5);
    const policy = Array.from(randn(rng, 10, 3)), reference = Array.from(randn(rng, 10, 3));
    const { grad } = await runDpo(be, policy, reference, 0.7);
    const eps = 1e-2;
    const numeric = policy.map((_, i) => {
      const bumped = (d: number) => dpoByHand(policy.map((v, j) => (j === i ? v + d : v)), reference, 0.7).loss;
      return (bumped(eps) - bumped(-eps)) / (2 * eps);
    });
    // The loss of the float32 engine against float64 central differences of the formula.
    const f32Numeric = await Promise.all(policy.map(async (_, i) => {
      const at = async (d: number) => (await runDpo(be, policy.map((v, j) => (j === i ? v + d : v)), reference, 0.7)).loss;
      return ((await at(eps)) - (await at(-eps))) / (2 * eps);
    }));
    assertClose('dπ (analytic vs float64 finite difference)', grad, numeric, { atol: 1e-6, rtol: 1e-3 });
    assertClose('dπ (analytic vs engine finite difference)', grad, f32Numeric, { atol: 2e-4, rtol: 2e-2 });
  });

  it('stays finite for margins of ±80 and more', async () => {
    // Margins β·Δ = ±80 and ±400: −log σ(80) ≈ 0 with gradient ≈ 0; −log σ(−80) = 80 with gradient −β per pair.
    const got = await runDpo(be, [40, -40, 200, -200, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], 2);
    expect([got.loss, ...got.grad, ...got.margins].every(Number.isFinite)).toBe(true);
    assertClose('loss', [got.loss], [(80 + 400) / 4], { atol: 1e-4, rtol: 1e-6 });
    assertClose('gradient', got.grad, [0, -0.5, 0, -0.5, 0, 0.5, 0, 0.5], { atol: 1e-7, rtol: 1e-6 });
  });

  it('maskedSequenceSum sums the masked rows of each sequence and passes the gradient back to them', async () => {
    const g = new Graph(be);
    const logpData = [-1, -2, -3, -4, -5, -6];
    const logp = g.param(be.fromArray(logpData, [6]), be.zeros([6]));
    const sums = maskedSequenceSum(g, logp, g.input([0, 1, 1, 1, 0, 0], [2, 3]));
    expect(sums.shape).toEqual([2]);
    expect(Array.from(await be.read(sums))).toEqual([-5, -4]);
    const out = dpoLoss(g, g.view(sums, [2, 1]), g.input([0, 0], [2, 1]), 1);
    g.backward(out.loss);
    // dL/dm = −σ(−(−5 − (−4))) = −σ(1); chosen rows get +dL/dm, rejected rows −dL/dm, masked rows 0.
    const s = 1 / (1 + Math.exp(-1));
    assertClose('dlogp', await be.read(g.grad(logp)), [0, -s, -s, s, 0, 0], { atol: 1e-7, rtol: 1e-6 });
    g.dispose();
  });

  it('names what is wrong on bad input', () => {
    const g = new Graph(be);
    const pi = g.param(be.zeros([2, 3]), be.zeros([2, 3]));
    expect(() => dpoLoss(g, g.param(be.zeros([3, 2]), be.zeros([3, 2])), g.input(new Float32Array(6), [3, 2]), 0.1)).toThrow(/dpoLoss: policy log-probs must be \[2, P\].*\[3,2\]/);
    expect(() => dpoLoss(g, pi, g.input(new Float32Array(4), [2, 2]), 0.1)).toThrow(/dpoLoss: reference log-probs must be \[2, 3\].*\[2,2\]/);
    expect(() => dpoLoss(g, pi, pi, 0.1)).toThrow(/dpoLoss: the reference log-probs must be constants/);
    expect(() => dpoLoss(g, pi, g.input(new Float32Array(6), [2, 3]), 0)).toThrow(/dpoLoss: beta must be a positive number, got 0/);
    expect(() => dpoLoss(g, g.param(be.zeros([2, 0]), be.zeros([2, 0])), g.input([], [2, 0]), 0.1)).toThrow(/dpoLoss: no preference pairs/);
    expect(() => maskedSequenceSum(g, be.zeros([6]), g.input(new Float32Array(4), [2, 2]))).toThrow(/maskedSequenceSum: mask must be \[B, T\] with B·T = 6/);
    g.dispose();
  });
});
