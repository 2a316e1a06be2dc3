/**
 * A preset's note makes a claim ("pass@1 rises", "frac_reward_zero_std climbs", "MTA is ahead"). Here a claim is
 * a list of checks over the curves that the preset's runs log, so the preset harness (scripts/presets.ts) can
 * measure it over seeds instead of trusting the sentence.
 *
 * A curve is one metric over GRPO iterations. Iteration 0 is the held-out evaluation right after the warm-start,
 * so evaluation curves (accuracy, pass@1) start there; training metrics start at iteration 1.
 */

export type Curve = { iteration: number; value: number }[];

/** Every curve of one run: metric name → points in iteration order. */
export type Curves = Record<string, Curve>;

/** The name of a preset's own config among its variants. */
export const MAIN_VARIANT = 'main';

interface CheckBase {
  metric: string;
  /**
   * How many points at each end of the curve are averaged into its start and end values. Default: 1 for
   * evaluation curves (few points, each already an average over the held-out set), else a quarter of the curve,
   * so one noisy iteration does not decide a claim.
   */
  window?: number;
  /**
   * Points averaged into the start value when it differs from `window`: 1 reads the first iteration alone,
   * whose rollouts the warm-started policy sampled before any GRPO update.
   */
  startWindow?: number;
}

export type Check =
  /** The metric's end value exceeds its start value by at least `by` (in the named variant, default main). */
  | (CheckBase & { kind: 'rises'; by: number; variant?: string })
  /** The metric's start value exceeds its end value by at least `by`. */
  | (CheckBase & { kind: 'falls'; by: number; variant?: string })
  /** At the end, `variant`'s metric exceeds `over`'s by at least `by` (a negative `by` allows a deficit). */
  | (CheckBase & { kind: 'ahead'; variant: string; over: string; by: number })
  /** At the end, the metric exceeds another metric `than` of the same run by at least `by` (e.g. with vs without a reset). */
  | (CheckBase & { kind: 'exceeds'; than: string; by: number; variant?: string });

export interface CheckResult {
  check: Check;
  /** Human-readable form, e.g. "pass@1 rises by ≥ 0.15". */
  text: string;
  /** rises/falls: the start and end values; ahead: the two variants' end values; exceeds: the two metrics' end values. */
  a: number;
  b: number;
  /** The measured difference compared with `by`. */
  delta: number;
  pass: boolean;
}

/** Metrics computed on the held-out set (present at iteration 0 and every eval.every iterations). */
export function isEvalMetric(metric: string): boolean {
  return metric === 'accuracy' || metric.startsWith('pass@');
}

function windowOf(check: Check, curve: Curve): number {
  const w = check.window ?? (isEvalMetric(check.metric) ? 1 : Math.floor(curve.length / 4));
  return clampWindow(w, curve);
}

const clampWindow = (w: number, curve: Curve) => Math.max(1, Math.min(w, curve.length));

function mean(points: Curve): number {
  return points.reduce((a, p) => a + p.value, 0) / points.length;
}

function curveOf(runs: Record<string, Curves>, variant: string, metric: string): Curve {
  const curves = runs[variant];
  if (!curves) throw new Error(`claim: no run of variant "${variant}" (have ${Object.keys(runs).join(', ')})`);
  const curve = curves[metric];
  if (!curve?.length) throw new Error(`claim: variant "${variant}" logged no "${metric}" (have ${Object.keys(curves).join(', ')})`);
  return curve;
}

/** The mean of the first `startWindow` and of the last `window` points of a curve. */
export function curveEnds(curve: Curve, window: number, startWindow = window): { start: number; end: number } {
  return { start: mean(curve.slice(0, startWindow)), end: mean(curve.slice(curve.length - window)) };
}

export function describeCheck(check: Check): string {
  const by = (x: number) => (x >= 0 ? `≥ ${x}` : `≥ −${-x}`);
  switch (check.kind) {
    case 'rises':
      return `${check.metric} rises by ${by(check.by)}${check.variant ? ` (${check.variant})` : ''}`;
    case 'falls':
      return `${check.metric} falls by ${by(check.by)}${check.variant ? ` (${check.variant})` : ''}`;
    case 'ahead':
      return `${check.metric}: ${check.variant} ahead of ${check.over} by ${by(check.by)} ${check.window ? `over the last ${check.window} points` : 'at the end'}`;
    case 'exceeds':
      return `${check.metric} above ${check.than} by ${by(check.by)}${check.variant ? ` (${check.variant})` : ''} ${check.window ? `over the last ${check.window} points` : 'at the end'}`;
  }
}

/** Evaluate one check on the curves of a preset's runs (variant name → curves) from one seed. */
export function evaluateCheck(check: Check, runs: Record<string, Curves>): CheckResult {
  const text = describeCheck(check);
  if (check.kind === 'ahead') {
    const mine = curveOf(runs, check.variant, check.metric);
    const theirs = curveOf(runs, check.over, check.metric);
    const a = curveEnds(mine, windowOf(check, mine)).end;
    const b = curveEnds(theirs, windowOf(check, theirs)).end;
    return { check, text, a, b, delta: a - b, pass: a - b >= check.by };
  }
  if (check.kind === 'exceeds') {
    const mine = curveOf(runs, check.variant ?? MAIN_VARIANT, check.metric);
    const other = curveOf(runs, check.variant ?? MAIN_VARIANT, check.than);
    const a = curveEnds(mine, windowOf(check, mine)).end;
    const b = curveEnds(other, windowOf(check, other)).end;
    return { check, text, a, b, delta: a - b, pass: a - b >= check.by };
  }
  const curve = curveOf(runs, check.variant ?? MAIN_VARIANT, check.metric);
  const window = windowOf(check, curve);
  const { start, end } = curveEnds(curve, window, check.startWindow === undefined ? window : clampWindow(check.startWindow, curve));
  const delta = check.kind === 'rises' ? end - start : start - end;
  return { check, text, a: start, b: end, delta, pass: delta >= check.by };
}
