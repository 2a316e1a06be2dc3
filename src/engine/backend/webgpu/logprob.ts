/** Token log-probabilities, entropy and fused cross-entropy on WebGPU (shaders/logprob.wgsl). */
import logprobWGSL from '../../../../shaders/logprob.wgsl?raw';
import type { Kernels } from '../../kernels';
import { checkCrossEntropy, checkTokenLogprobs, checkTokenLogprobsBackward } from '../../shapes/logprob';
import type { Tensor } from '../../tensor';
import { gpuBuffer as buf, kernelFamily } from './kernelDef';
import { groups1d, type GpuRuntime } from './runtime';

const def = kernelFamily('Logprob', logprobWGSL);
const P = [['N', 'u32'], ['V', 'u32'], ['invT', 'f32']] as const;
const K = {
  forward: def('token_logprobs', P, ['read', 'read', 'write']),
  forwardEntropy: def('token_logprobs_entropy', P, ['read', 'read', 'write', 'write']),
  backward: def('token_logprobs_backward', P, ['read', 'read', 'read', 'write']),
  backwardEntropy: def('token_logprobs_backward_entropy', P, ['read', 'read', 'read', 'read', 'write']),
  crossEntropy: def('cross_entropy', P, ['read', 'read', 'read', 'write', 'write']),
};

export function logprobGpu(rt: GpuRuntime): Pick<Kernels, 'tokenLogprobs' | 'tokenLogprobsBackward' | 'crossEntropy'> {
  // One workgroup per row.
  const run = (k: keyof typeof K, tensors: Tensor[], N: number, V: number, temperature: number) =>
    rt.dispatch(K[k], tensors.map(buf), { N, V, invT: 1 / temperature }, groups1d(N, 1));
  return {
    tokenLogprobs(logits, targets, logp, entropy, temperature) {
      const { N, V } = checkTokenLogprobs(logits, targets, logp, entropy, temperature);
      if (entropy) run('forwardEntropy', [logits, targets, logp, entropy], N, V, temperature);
      else run('forward', [logits, targets, logp], N, V, temperature);
    },
    tokenLogprobsBackward(logits, targets, dlogp, dentropy, dlogits, temperature) {
      const { N, V } = checkTokenLogprobsBackward(logits, targets, dlogp, dentropy, dlogits, temperature);
      if (dentropy) run('backwardEntropy', [logits, targets, dlogp, dentropy, dlogits], N, V, temperature);
      else run('backward', [logits, targets, dlogp, dlogits], N, V, temperature);
    },
    crossEntropy(logits, targets, weights, loss, dlogits) {
      const { N, V } = checkCrossEntropy(logits, targets, weights, loss, dlogits);
      run('crossEntropy', [logits, targets, weights, loss, dlogits], N, V, 1);
    },
  };
}
