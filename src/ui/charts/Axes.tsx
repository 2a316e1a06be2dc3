/** Horizontal grid lines with y tick labels and x tick labels of a line chart (d3 scales from lineModel). */
import type { Box, LineModel } from './lineModel';

export function Axes({ model, box }: { model: LineModel; box: Box }) {
  const tickFormat = model.y.tickFormat(3);
  return (
    <>
      {model.yTicks.map((t) => (
        <g key={`y${t}`} className="tick">
          <line x1={box.margin.left} x2={box.width - box.margin.right} y1={model.y(t)} y2={model.y(t)} />
          <text x={box.margin.left - 4} y={model.y(t)} dy="0.32em" textAnchor="end">
            {tickFormat(t)}
          </text>
        </g>
      ))}
      {model.xTicks.map((t) => (
        <text key={`x${t}`} className="tick" x={model.x(t)} y={box.height - 6} textAnchor="middle">
          {t}
        </text>
      ))}
    </>
  );
}
