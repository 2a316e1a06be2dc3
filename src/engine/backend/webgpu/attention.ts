/** Attention kernels on WebGPU. (placeholder, being written) */
import type { Kernels } from '../../kernels';
import type { GpuRuntime } from './runtime';

export function attentionGpu(rt: GpuRuntime): Pick<Kernels, 'attnScores' | 'attnScoresBackward' | 'attnSoftmax' | 'attnSoftmaxBackward' | 'attnValues' | 'attnValuesBackward' | 'writeRows'> {
  void rt;
  return {
    attnScores() {
      throw new Error('TODO attention.attnScores');
    },
    attnScoresBackward() {
      throw new Error('TODO attention.attnScoresBackward');
    },
    attnSoftmax() {
      throw new Error('TODO attention.attnSoftmax');
    },
    attnSoftmaxBackward() {
      throw new Error('TODO attention.attnSoftmaxBackward');
    },
    attnValues() {
      throw new Error('TODO attention.attnValues');
    },
    attnValuesBackward() {
      throw new Error('TODO attention.attnValuesBackward');
    },
    writeRows() {
      throw new Error('TODO attention.writeRows');
    },
  };
}
