/**
 * FFN activation sparsity: the fraction of exact zeros in each layer's hidden activations (after the activation,
 * before any gate), over the rows that hold real tokens. RELU and the RELU branch of stochA give exact zeros;
 * SILU and GELU almost never do — the point of Swi+FT and stochA at inference.
 */
import type { Backend } from '../engine/backend';
import type { Tensor } from '../engine/tensor';

/** Per layer, zeros / elements over the rows where `rowMask` is true (all rows when omitted). Reads the tensors back. */
export async function ffnSparsity(be: Backend, hidden: Tensor[], rowMask?: ArrayLike<boolean>): Promise<number[]> {
  const out: number[] = [];
  for (const h of hidden) {
    const [rows, width] = h.shape;
    const data = await be.read(h);
    let zeros = 0, total = 0;
    for (let r = 0; r < rows; r++) {
      if (rowMask && !rowMask[r]) continue;
      for (let k = 0; k < width; k++) if (data[r * width + k] === 0) zeros++;
      total += width;
    }
    out.push(total ? zeros / total : 0);
  }
  return out;
}
