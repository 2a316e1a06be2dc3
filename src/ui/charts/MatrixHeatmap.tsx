/**
 * A matrix as a grid of coloured cells with optional labels on both axes and the exact value of each cell in its
 * tooltip. Used for attention maps (query × key) and MTA kernels / head-mixing matrices.
 */
import { interpolateBlues, interpolateRdBu, scaleDiverging, scaleSequential } from 'd3';

export interface MatrixProps {
  /** Row-major rows × cols values. */
  values: ArrayLike<number>;
  rows: number;
  cols: number;
  rowLabels?: readonly string[];
  colLabels?: readonly string[];
  /** Axis names for the tooltips ("query", "key"). */
  rowName: string;
  colName: string;
  label: string;
  /** 'probability': [0, 1] sequential; 'signed': diverging around 0, scaled by the largest magnitude. */
  scale: 'probability' | 'signed';
  cell?: number;
}

/** Short, single-character-ish labels for special tokens so axis labels stay one cell wide. */
export function shortToken(text: string): string {
  if (text === '<bos>') return '▸';
  if (text === '<eos>') return '◂';
  if (text === '<pad>') return '·';
  if (text === '\n') return '⏎';
  if (text === ' ') return '␣';
  return text;
}

export function MatrixHeatmap({ values, rows, cols, rowLabels, colLabels, rowName, colName, label, scale, cell = 16 }: MatrixProps) {
  let maxAbs = 0;
  for (let i = 0; i < rows * cols; i++) maxAbs = Math.max(maxAbs, Math.abs(values[i]));
  const color =
    scale === 'probability'
      ? scaleSequential(interpolateBlues).domain([0, 1]).clamp(true)
      : scaleDiverging((t: number) => interpolateRdBu(1 - t)).domain([-(maxAbs || 1), 0, maxAbs || 1]);
  const left = rowLabels ? 14 : 0;
  const top = colLabels ? 14 : 0;
  const width = left + cols * cell, height = top + rows * cell;
  const cells = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c];
      const rl = rowLabels ? ` ${JSON.stringify(rowLabels[r])}` : '';
      const cl = colLabels ? ` ${JSON.stringify(colLabels[c])}` : '';
      cells.push(
        <rect key={`${r}-${c}`} x={left + c * cell} y={top + r * cell} width={cell - 1} height={cell - 1} fill={color(v)}>
          {/* One string, so one text node per cell: maps grow as T², and every node costs layout time. */}
          <title>{`${rowName} ${r}${rl} → ${colName} ${c}${cl}: ${v.toFixed(4)}`}</title>
        </rect>,
      );
    }
  }
  return (
    <svg className="matrix" viewBox={`0 0 ${width} ${height}`} style={{ maxWidth: `${width * 1.6}px` }} role="img" aria-label={label}>
      {colLabels?.map((t, c) => (
        <text key={`c${c}`} className="matrix-label" x={left + c * cell + cell / 2} y={top - 4} textAnchor="middle">
          {shortToken(t)}
        </text>
      ))}
      {rowLabels?.map((t, r) => (
        <text key={`r${r}`} className="matrix-label" x={left - 4} y={top + r * cell + cell / 2} dy="0.32em" textAnchor="end">
          {shortToken(t)}
        </text>
      ))}
      {cells}
    </svg>
  );
}
