/** Logprob kernels, CPU oracle. (placeholder, being written) */
import type { Kernels } from '../../kernels';

export const logprobCpu: Pick<Kernels, 'tokenLogprobs' | 'tokenLogprobsBackward' | 'crossEntropy'> = {
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
