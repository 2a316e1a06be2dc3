/** Logprob kernels on WebGPU. (placeholder, being written) */
import type { Kernels } from '../../kernels';
import type { GpuRuntime } from './runtime';

export function logprobGpu(rt: GpuRuntime): Pick<Kernels, 'tokenLogprobs' | 'tokenLogprobsBackward' | 'crossEntropy'> {
  void rt;
  return {
    tokenLogprobs() {
      throw new Error('TODO logprob.tokenLogprobs');
    },
    tokenLogprobsBackward() {
      throw new Error('TODO logprob.tokenLogprobsBackward');
    },
    crossEntropy() {
      throw new Error('TODO logprob.crossEntropy');
    },
  };
}
