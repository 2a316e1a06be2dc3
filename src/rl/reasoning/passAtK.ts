/**
 * pass@k for a group of N samples of which N_inc are incorrect, and the pass@k advantages that Principia's
 * aggregation training (ParaGator, arXiv 2603.18886) gives its candidates. docs/reasoning.md derives them.
 *   μ           = 1 − C(N_inc, k) / C(N, k)                       (unbiased pass@k of the group)
 *   A_correct   = 1 − μ
 *   A_incorrect = 1 − μ − C(N_inc − 1, k − 1) / C(N − 1, k − 1)
 * with no division by the group's standard deviation. A_i is the pass rate of the k-subsets that contain sample
 * i minus μ, so the advantages of a group sum to 0, and with k = 1 they are r − mean(r).
 */

/** The candidates' advantages, in order; `correct[i]` says whether candidate i is correct. */
export function passAtKAdvantages(correct: readonly boolean[], k: number): number[] {
  const n = correct.length;
  checkK(n, k);
  const incorrect = correct.filter((c) => !c).length;
  const mu = passAtK(n, n - incorrect, k);
  // Only evaluated when there is an incorrect candidate, so N_inc − 1 ≥ 0.
  const missAlongside = incorrect > 0 ? binomialRatio(incorrect - 1, n - 1, k - 1) : 0;
  return correct.map((c) => (c ? 1 - mu : 1 - mu - missAlongside));
}

/** Unbiased pass@k from n samples with c correct: 1 − C(n − c, k) / C(n, k). */
export function passAtK(n: number, c: number, k: number): number {
  checkK(n, k);
  if (!Number.isInteger(c) || c < 0 || c > n) throw new Error(`pass@k: correct count must be an integer in [0, ${n}] (got ${c})`);
  return 1 - binomialRatio(n - c, n, k);
}

/**
 * C(a, j) / C(b, j) for 0 ≤ a ≤ b, as the product Π_{i<j} (a − i)/(b − i): each factor is in [0, 1], so nothing
 * overflows however large the binomials are. It is 0 when a < j (C(a, j) = 0) and 1 when j = 0.
 */
export function binomialRatio(a: number, b: number, j: number): number {
  if (!(Number.isInteger(a) && Number.isInteger(b) && Number.isInteger(j)) || a < 0 || a > b || j < 0 || j > b) {
    throw new Error(`binomial ratio C(${a}, ${j}) / C(${b}, ${j}) needs integers with 0 ≤ a ≤ b and 0 ≤ j ≤ b`);
  }
  let ratio = 1;
  for (let i = 0; i < j; i++) ratio *= (a - i) / (b - i);
  return ratio;
}

function checkK(n: number, k: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`pass@k: the group needs at least one sample (got ${n})`);
  if (!Number.isInteger(k) || k < 1 || k > n) throw new Error(`pass@k: k must be an integer in [1, ${n}] (got ${k})`);
}
