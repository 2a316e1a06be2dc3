/** All CPU kernel families merged into one Kernels object. */
import type { Kernels } from '../../kernels';
import { stochasticCpu } from './stochastic';
import { policyLossCpu } from './policyLoss';
import { elementwiseCpu } from './elementwise';
import { matmulCpu } from './matmul';
import { reduceCpu } from './reduce';
import { normCpu } from './norm';
import { ropeCpu } from './rope';
import { attentionCpu } from './attention';
import { activationCpu } from './activation';
import { embeddingCpu } from './embedding';
import { logprobCpu } from './logprob';
import { sampleCpu } from './sample';
import { optimCpu } from './optim';
import { mtaCpu } from './mta';
import { logSigmoidCpu } from './logSigmoid';

export const cpuKernels: Kernels = {
  ...elementwiseCpu,
  ...stochasticCpu,
  ...policyLossCpu,
  ...matmulCpu,
  ...reduceCpu,
  ...normCpu,
  ...ropeCpu,
  ...attentionCpu,
  ...activationCpu,
  ...embeddingCpu,
  ...logprobCpu,
  ...sampleCpu,
  ...optimCpu,
  ...mtaCpu,
  ...logSigmoidCpu,
};
