/**
 * Token log-probabilities, entropy and fused cross-entropy, CPU oracle. Each row is softmaxed in float64 after
 * subtracting its maximum, so large logits neither overflow nor lose the target's log-probability.
 */
import type { Kernels } from '../../kernels';
import { checkCrossEntropy, checkTokenLogprobs, checkTokenLogprobsBackward } from '../../shapes/logprob';
import { f32, i32 } from './data';

/** log_softmax(logits[row] / temperature) in float64, and the entropy −Σ p log p of that distribution. */
function logSoftmaxRow(x: Float32Array, row: number, V: number, temperature: number): { logp: Float64Array; entropy: number } {
  const z = new Float64Array(V);
  let max = -Infinity;
  for (let j = 0; j < V; j++) {
    z[j] = x[row * V + j] / temperature;
    max = Math.max(max, z[j]);
  }
  let sum = 0;
  for (let j = 0; j < V; j++) sum += Math.exp(z[j] - max);
  const logZ = max + Math.log(sum);
  let entropy = 0;
  for (let j = 0; j < V; j++) {
    z[j] -= logZ;
    entropy -= Math.exp(z[j]) * z[j];
  }
  return { logp: z, entropy };
}

function target(t: Int32Array, n: number, V: number, op: string): number {
  const k = t[n];
  if (!(k >= 0 && k < V)) throw new RangeError(`${op}: targets[${n}] = ${k} is outside [0, ${V})`);
  return k;
}

export const logprobCpu: Pick<Kernels, 'tokenLogprobs' | 'tokenLogprobsBackward' | 'crossEntropy'> = {
  tokenLogprobs(logits, targets, logp, entropy, temperature) {
    const { N, V } = checkTokenLogprobs(logits, targets, logp, entropy, temperature);
    const x = f32(logits), t = i32(targets), lp = f32(logp);
    for (let n = 0; n < N; n++) {
      const row = logSoftmaxRow(x, n, V, temperature);
      lp[n] = row.logp[target(t, n, V, 'tokenLogprobs')];
      if (entropy) f32(entropy)[n] = row.entropy;
    }
  },
  tokenLogprobsBackward(logits, targets, dlogp, dentropy, dlogits, temperature) {
    const { N, V } = checkTokenLogprobsBackward(logits, targets, dlogp, dentropy, dlogits, temperature);
    const x = f32(logits), t = i32(targets), gl = f32(dlogp), d = f32(dlogits);
    for (let n = 0; n < N; n++) {
      const { logp, entropy } = logSoftmaxRow(x, n, V, temperature);
      const k = target(t, n, V, 'tokenLogprobsBackward');
      const gH = dentropy ? f32(dentropy)[n] : 0;
      for (let j = 0; j < V; j++) {
        const p = Math.exp(logp[j]);
        // ∂logp_k/∂z_j = δ_jk − p_j;  ∂H/∂z_j = −p_j (log p_j + H);  z = logits / T.
        const dz = gl[n] * ((j === k ? 1 : 0) - p) - gH * p * (logp[j] + entropy);
        d[n * V + j] += dz / temperature;
      }
    }
  },
  crossEntropy(logits, targets, weights, loss, dlogits) {
    const { N, V } = checkCrossEntropy(logits, targets, weights, loss, dlogits);
    const x = f32(logits), t = i32(targets), w = f32(weights), l = f32(loss), d = f32(dlogits);
    for (let n = 0; n < N; n++) {
      const { logp } = logSoftmaxRow(x, n, V, 1);
      const k = target(t, n, V, 'crossEntropy');
      l[n] = -w[n] * logp[k];
      for (let j = 0; j < V; j++) d[n * V + j] = w[n] * (Math.exp(logp[j]) - (j === k ? 1 : 0));
    }
  },
};
