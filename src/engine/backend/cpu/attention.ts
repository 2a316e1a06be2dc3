/** Attention kernels, CPU oracle. (placeholder, being written) */
import type { Kernels } from '../../kernels';

export const attentionCpu: Pick<Kernels, 'attnScores' | 'attnScoresBackward' | 'attnSoftmax' | 'attnSoftmaxBackward' | 'attnValues' | 'attnValuesBackward' | 'writeRows'> = {
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
