import { useEffect } from 'react';
import { useDeviceStore } from '../store/deviceStore';
import { engineClient } from '../store/engineClient';
import { DeviceBadge } from './DeviceBadge';

export function App() {
  useEffect(() => {
    // The store ignores repeat calls, so React's double-run of effects in StrictMode starts one probe.
    void useDeviceStore.getState().probe(() => engineClient().probe());
  }, []);
  return (
    <>
      <header className="app-header">
        <h1>GRPO Playground</h1>
        <DeviceBadge />
      </header>
      <main className="app-main">
        <p>The engine runs in a Web Worker on the compute device shown above.</p>
      </main>
    </>
  );
}
