/**
 * The Multi-Token Attention parameters as they train: each head's key-query convolution kernel (c_q × c_k,
 * identity at start: a single 1 at the centre tap of the last query row) and the head-mixing matrices.
 */
import type { MtaKernel } from '../../worker/protocol';
import { MatrixHeatmap } from '../charts/MatrixHeatmap';

/** Split a kernel into the 2-D matrices drawn: per head for convolutions, per group for grouped mixing. */
export function kernelPanes(k: MtaKernel): Array<{ title: string; rows: number; cols: number; values: Float32Array }> {
  const [a, b, c] = k.shape;
  const conv = /kq_(pre|post)$/.test(k.name);
  if (k.shape.length === 2) return [{ title: 'heads out × in', rows: a, cols: b, values: k.values }];
  return Array.from({ length: a }, (_, i) => ({
    title: conv ? `head ${i}` : `group ${i}`,
    rows: b,
    cols: c,
    values: k.values.subarray(i * b * c, (i + 1) * b * c),
  }));
}

const KIND: Record<string, string> = {
  kq_pre: 'pre-softmax key-query conv (c_q × c_k)',
  kq_post: 'post-softmax key-query conv (c_q × c_k)',
  head_mix_pre: 'pre-softmax head mixing',
  head_mix_post: 'post-softmax head mixing',
};

export function MtaKernels({ kernels, iteration }: { kernels: readonly MtaKernel[]; iteration: number }) {
  return (
    <div className="mta-kernels">
      {kernels.map((k) => {
        const [, layer, kind] = /^layers\.(\d+)\.attn\.mta\.(\w+)$/.exec(k.name) ?? [k.name, '?', k.name];
        return (
          <figure key={k.name} className="mta-kernel">
            <figcaption>
              <span className="chart-title">layer {layer}</span> <span className="muted">{KIND[kind] ?? kind}</span>
            </figcaption>
            <div className="mta-panes">
              {kernelPanes(k).map((p) => (
                <div key={p.title} className="mta-pane">
                  <MatrixHeatmap
                    values={p.values}
                    rows={p.rows}
                    cols={p.cols}
                    rowName={kind.startsWith('kq') ? 'query offset' : 'out'}
                    colName={kind.startsWith('kq') ? 'key offset' : 'in'}
                    scale="signed"
                    cell={14}
                    label={`${k.name} ${p.title} after iteration ${iteration}`}
                  />
                  <span className="muted">{p.title}</span>
                </div>
              ))}
            </div>
          </figure>
        );
      })}
    </div>
  );
}
