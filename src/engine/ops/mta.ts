/** Differentiable Multi-Token Attention pieces: key-query convolution and head mixing of attention maps. */
import type { Graph } from '../autograd';
import type { AttentionMask, HeadMixOptions, MtaPadKey } from '../kernels';
import type { Tensor } from '../tensor';

export function mtaConv(g: Graph, x: Tensor, kernel: Tensor, mask: AttentionMask, padKey: MtaPadKey): Tensor {
  const out = g.alloc(x.shape, 'f32', 'mta.conv');
  g.be.mtaConv(x, kernel, out, mask, padKey);
  g.record([x, kernel], out, (gradOf) => {
    const dx = gradOf(x) ?? g.alloc(x.shape, 'f32', 'mta.dxUnused');
    const dk = gradOf(kernel) ?? g.alloc(kernel.shape, 'f32', 'mta.dkUnused');
    g.be.mtaConvBackward(gradOf(out)!, x, kernel, dx, dk, mask, padKey);
  });
  return out;
}

export function headMix(g: Graph, x: Tensor, weight: Tensor, opts: HeadMixOptions): Tensor {
  const out = g.alloc(x.shape, 'f32', 'mta.headMix');
  g.be.headMix(x, weight, out, opts);
  g.record([x, weight], out, (gradOf) => {
    const dx = gradOf(x) ?? g.alloc(x.shape, 'f32', 'mta.dxUnused');
    const dw = gradOf(weight) ?? g.alloc(weight.shape, 'f32', 'mta.dwUnused');
    g.be.headMixBackward(gradOf(out)!, x, weight, dx, dw, opts);
  });
  return out;
}
