/** L2 norm of every parameter tensor and of its gradient after the latest iteration, as bars. */
import type { ParamStat } from '../../worker/protocol';

const fmt = (v: number) => (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e3) ? v.toExponential(2) : v.toFixed(3));

function Bar({ value, max, className }: { value: number; max: number; className: string }) {
  return (
    <span className="bar-cell">
      <span className="bar-track">
        <span className={`bar ${className}`} style={{ width: `${max > 0 ? (100 * value) / max : 0}%` }} />
      </span>
      <span className="mono">{fmt(value)}</span>
    </span>
  );
}

export function ParamNorms({ params }: { params: readonly ParamStat[] }) {
  const maxNorm = Math.max(0, ...params.map((p) => p.norm));
  const maxGrad = Math.max(0, ...params.map((p) => p.gradNorm));
  return (
    <table className="data-table norms" aria-label="Parameter and gradient norms">
      <thead>
        <tr>
          <th scope="col">parameter</th>
          <th scope="col">shape</th>
          <th scope="col">‖θ‖₂</th>
          <th scope="col">‖∇θ‖₂ (last step)</th>
        </tr>
      </thead>
      <tbody>
        {params.map((p) => (
          <tr key={p.name}>
            <th scope="row" className="mono">
              {p.name}
            </th>
            <td className="mono">{p.shape.join('×')}</td>
            <td>
              <Bar value={p.norm} max={maxNorm} className="series-0" />
            </td>
            <td>
              <Bar value={p.gradNorm} max={maxGrad} className="series-3" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
