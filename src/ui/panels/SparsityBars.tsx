/** FFN activation sparsity per layer for the inspected sequence: exact zeros after the activation (RELU-like). */
export function SparsityBars({ values, activation }: { values: readonly number[]; activation: string }) {
  return (
    <div className="sparsity" role="img" aria-label={`FFN sparsity per layer: ${values.map((v) => `${(100 * v).toFixed(1)}%`).join(', ')}`}>
      {values.map((v, l) => (
        <div key={l} className="sparsity-row">
          <span className="muted">layer {l}</span>
          <span className="bar-track">
            <span className="bar series-2" style={{ width: `${100 * v}%` }} />
          </span>
          <span className="mono">{(100 * v).toFixed(1)}% zeros</span>
        </div>
      ))}
      <span className="field-hint">activation: {activation}; SILU and GELU are almost never exactly 0, RELU and stochA's RELU branch are.</span>
    </div>
  );
}
