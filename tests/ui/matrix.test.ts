/** How MTA kernels are split into drawn matrices, and the short labels of special tokens. */
import { describe, expect, it } from 'vitest';
import { shortToken } from '../../src/ui/charts/MatrixHeatmap';
import { kernelPanes } from '../../src/ui/panels/MtaKernels';

describe('MTA kernel panes', () => {
  it('draws one c_q × c_k pane per head for key-query convolutions', () => {
    const values = Float32Array.from({ length: 12 }, (_, i) => i);
    const panes = kernelPanes({ name: 'layers.0.attn.mta.kq_pre', shape: [2, 2, 3], values });
    expect(panes.map((p) => [p.title, p.rows, p.cols])).toEqual([
      ['head 0', 2, 3],
      ['head 1', 2, 3],
    ]);
    expect(Array.from(panes[1].values)).toEqual([6, 7, 8, 9, 10, 11]);
  });

  it('draws a whole H × H mixing matrix, and grouped mixing per group', () => {
    expect(kernelPanes({ name: 'layers.1.attn.mta.head_mix_pre', shape: [4, 4], values: new Float32Array(16) }).map((p) => [p.rows, p.cols])).toEqual([[4, 4]]);
    expect(kernelPanes({ name: 'layers.1.attn.mta.head_mix_post', shape: [2, 2, 2], values: new Float32Array(8) }).map((p) => p.title)).toEqual(['group 0', 'group 1']);
  });

  it('shortens special tokens to one glyph', () => {
    expect(['<bos>', '<eos>', '\n', ' ', 'a'].map(shortToken)).toEqual(['▸', '◂', '⏎', '␣', 'a']);
  });
});
