/**
 * The header's device panel: which backend the engine worker trains on and why (measured step times, or the
 * user's pick), and a picker to override the measured choice.
 */
import { useId } from 'react';
import type { BackendName, DeviceInfo } from '../engine/backend';
import { engineClient } from '../store/engineClient';
import { useDeviceStore, type DeviceState } from '../store/deviceStore';
import type { ProbeResult } from '../worker/protocol';

const NAMES: Record<BackendName, string> = { webgpu: 'WebGPU', wasm: 'CPU path', cpu: 'TypeScript oracle' };

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

/** Each timed backend's step time, fastest first: the numbers behind the choice. */
function Timings({ result }: { result: ProbeResult }) {
  const timed = result.choice.timings.filter((t) => t.ms !== null).sort((a, b) => a.ms! - b.ms!);
  if (timed.length === 0) return null;
  return (
    <p className="device-timings">
      Training step: {timed.map((t) => `${NAMES[t.backend]} ${t.ms!.toFixed(0)} ms`).join(' · ')}
    </p>
  );
}

function BackendPicker({ result }: { result: ProbeResult }) {
  const id = useId();
  const override = useDeviceStore((s) => s.override);
  const pick = (value: string) => {
    const next = value === 'auto' ? null : (value as BackendName);
    void useDeviceStore.getState().setOverride(next, (o) => engineClient().probe(o));
  };
  return (
    <div className="device-picker">
      <label htmlFor={id}>Backend</label>
      <select id={id} value={override ?? 'auto'} onChange={(e) => pick(e.target.value)}>
        <option value="auto">Automatic (fastest measured)</option>
        {result.pickable.map((b) => (
          <option key={b} value={b}>
            {NAMES[b]}
          </option>
        ))}
      </select>
    </div>
  );
}

function Ready({ result }: { result: ProbeResult }) {
  const { device, choice } = result;
  const title = device.backend === 'webgpu' ? `WebGPU${device.isFallbackAdapter ? ' (software fallback adapter)' : ''}` : NAMES[device.backend];
  return (
    <>
      <span className="device-title">
        {title}
        {choice.by === 'override' ? ' — your choice' : ''}
      </span>
      {result.fallbackReason ? (
        <p className="device-reason">WebGPU unavailable. Reason: {result.fallbackReason}</p>
      ) : (
        <p className="device-reason">{choice.reason}</p>
      )}
      <Timings result={result} />
      {device.backend === 'webgpu' && <AdapterDetails device={device} />}
      {result.pending && <p className="device-reason">{result.pending}</p>}
      <BackendPicker result={result} />
    </>
  );
}

function Body({ state }: { state: DeviceState }) {
  switch (state.status) {
    case 'idle':
    case 'probing':
      return <span className="device-title">Timing a training step on each backend…</span>;
    case 'error':
      return (
        <>
          <span className="device-title">Engine unavailable</span>
          <p className="device-reason">{state.error}</p>
        </>
      );
    case 'ready':
      return <Ready result={state} />;
  }
}

export function DeviceBadge() {
  const state = useDeviceStore((s) => s.state);
  const kind = state.status === 'ready' ? state.device.backend : state.status;
  const by = state.status === 'ready' ? state.choice.by : undefined;
  return (
    <section className="device-badge" data-kind={kind} data-by={by} role="status" aria-label="Compute device" aria-busy={state.status === 'probing'}>
      <Body state={state} />
    </section>
  );
}
