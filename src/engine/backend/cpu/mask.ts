/** The attention mask as the CPU oracles read it (attention and MTA share one visibility rule). */
import type { AttentionMask } from '../../kernels';
import { i32 } from './data';

/**
 * visible(b, i, j): key j may be attended from query row i (absolute position qPos0 + i) of sequence b, i.e.
 * keyStart[b] ≤ j ≤ qPos0 + i and j < kLen.
 */
export function visibility(mask: AttentionMask): (b: number, i: number, j: number) => boolean {
  const starts = mask.keyStart ? i32(mask.keyStart) : null;
  return (b, i, j) => j >= (starts ? starts[b] : 0) && j <= mask.qPos0 + i && j < mask.kLen;
}
