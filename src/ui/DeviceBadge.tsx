/** The header's device panel: which backend the engine worker runs on, and why when it is the slow one. */
import { useDeviceStore, type DeviceState } from '../store/deviceStore';
import type { DeviceInfo } from '../engine/backend';

function AdapterDetails({ device }: { device: DeviceInfo }) {
  return (
    <dl className="device-details">
      <dt>Vendor</dt>
      <dd>{device.vendor}</dd>
      <dt>Architecture</dt>
      <dd>{device.architecture}</dd>
      <dt>Description</dt>
      <dd>{device.description}</dd>
    </dl>
  );
}

function Body({ state }: { state: DeviceState }) {
  switch (state.status) {
    case 'idle':
    case 'probing':
      return <span className="device-title">Probing WebGPU…</span>;
    case 'error':
      return (
        <>
          <span className="device-title">Engine unavailable</span>
          <p className="device-reason">{state.error}</p>
        </>
      );
    case 'ready':
      if (state.device.backend === 'cpu') {
        return (
          <>
            <span className="device-title">WebGPU unavailable → CPU backend (slower)</span>
            {state.fallbackReason && <p className="device-reason">Reason: {state.fallbackReason}</p>}
          </>
        );
      }
      return (
        <>
          <span className="device-title">
            WebGPU{state.device.isFallbackAdapter ? ' (software fallback adapter)' : ''}
          </span>
          <AdapterDetails device={state.device} />
        </>
      );
  }
}

export function DeviceBadge() {
  const state = useDeviceStore((s) => s.state);
  const kind = state.status === 'ready' ? state.device.backend : state.status;
  return (
    <section className="device-badge" data-kind={kind} role="status" aria-label="Compute device" aria-busy={state.status === 'probing'}>
      <Body state={state} />
    </section>
  );
}
