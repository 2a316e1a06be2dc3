/** All WebGPU kernel families merged into one Kernels object. */
import type { Kernels } from '../../kernels';
import type { GpuRuntime } from './runtime';
import { stochasticGpu } from './stochastic';
import { policyLossGpu } from './policyLoss';
import { elementwiseGpu } from './elementwise';
import { matmulGpu } from './matmul';
import { reduceGpu } from './reduce';
import { normGpu } from './norm';
import { ropeGpu } from './rope';
import { attentionGpu } from './attention';
import { activationGpu } from './activation';
import { embeddingGpu } from './embedding';
import { logprobGpu } from './logprob';
import { sampleGpu } from './sample';
import { optimGpu } from './optim';
import { mtaGpu } from './mta';
import { logSigmoidGpu } from './logSigmoid';

export function gpuKernels(rt: GpuRuntime): Kernels {
  return {
    ...elementwiseGpu(rt),
    ...stochasticGpu(rt),
    ...policyLossGpu(rt),
    ...matmulGpu(rt),
    ...reduceGpu(rt),
    ...normGpu(rt),
    ...ropeGpu(rt),
    ...attentionGpu(rt),
    ...activationGpu(rt),
    ...embeddingGpu(rt),
    ...logprobGpu(rt),
    ...sampleGpu(rt),
    ...optimGpu(rt),
    ...mtaGpu(rt),
    ...logSigmoidGpu(rt),
  };
}
