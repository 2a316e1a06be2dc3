import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { runStore } from './store/appStore';
import { useDeviceStore } from './store/deviceStore';
import { themeStore } from './store/themeStore';
import { App } from './ui/App';
import './ui/styles.css';

declare global {
  interface Window {
    /** Read-only handles for e2e tests and the devtools console. */
    __pg: { device: typeof useDeviceStore; run: ReturnType<typeof runStore> };
  }
}
window.__pg = { device: useDeviceStore, run: runStore() };
// Before the first render, so a stored dark choice never flashes the light palette.
themeStore();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
