/** The model inspector: attention maps of a rollout, MTA kernels as they train, parameter and gradient norms. */
import { useRun } from '../../store/appStore';
import { AttentionView } from './AttentionView';
import { MtaKernels } from './MtaKernels';
import { ParamNorms } from './ParamNorms';

export function ModelInspector() {
  const model = useRun((s) => s.model);
  const iteration = useRun((s) => s.iteration);
  const mtaOn = useRun((s) => s.applied.model.mta !== null && s.applied.model.mta !== undefined);
  return (
    <section className="panel" aria-labelledby="model-inspector-title">
      <header className="panel-header">
        <h2 id="model-inspector-title">Model inspector</h2>
        <span className="muted">{model ? `after iteration ${iteration}` : ''}</span>
      </header>
      <h3 className="subhead">Attention</h3>
      <AttentionView />
      <h3 className="subhead">MTA kernels</h3>
      {!mtaOn ? (
        <p className="muted empty-note">This model uses plain attention; turn on Multi-Token Attention in the model settings to watch its kernels train.</p>
      ) : model?.mta.length ? (
        <MtaKernels kernels={model.mta} iteration={iteration} />
      ) : (
        <p className="muted empty-note">The kernels appear after the first iteration.</p>
      )}
      <h3 className="subhead">Parameter and gradient norms</h3>
      {model ? <ParamNorms params={model.params} /> : <p className="muted empty-note">Norms appear after the first iteration.</p>}
    </section>
  );
}
