/**
 * Figures an algorithm draws besides its per-iteration curves: x–y series that are not "metric by iteration"
 * (OAA_t against the think budget t, accuracy against think tokens, label balance per rule, pass@1 per
 * aggregation round). A trainer returns them with an iteration's result; the app shows the latest of each id.
 */
export interface PlotPoint {
  x: number;
  y: number;
}

export interface PlotSeries {
  label: string;
  points: PlotPoint[];
}

export interface Plot {
  /** Stable across iterations: a newer plot of the same id replaces the older one. */
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  /** 'line' joins the points in x order; 'scatter' draws them only. */
  kind: 'line' | 'scatter';
  /** y is a fraction: keep the axis at [0, 1]. */
  unit?: boolean;
  series: PlotSeries[];
}
