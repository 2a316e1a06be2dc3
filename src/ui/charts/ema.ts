/**
 * Exponential moving average with bias correction (TensorBoard's smoothing): without the correction the first
 * points would be pulled toward 0. smoothing 0 returns the values unchanged; non-finite values are skipped.
 */
export function ema(values: readonly number[], smoothing: number): number[] {
  const s = Math.min(Math.max(smoothing, 0), 0.999);
  let acc = 0;
  let weight = 0;
  return values.map((v) => {
    if (!Number.isFinite(v)) return v;
    acc = acc * s + (1 - s) * v;
    weight = weight * s + (1 - s);
    return acc / weight;
  });
}
