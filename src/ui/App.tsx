import { useEffect } from 'react';
import { compareStore, durableStore, judgeStore, runStore, useRun } from '../store/appStore';
import { useDeviceStore } from '../store/deviceStore';
import { engineClient } from '../store/engineClient';
import { DeferredRun } from './DeferredRun';
import { DeviceBadge } from './DeviceBadge';
import { DurableRunNotices } from './DurableRun';
import { HeaderTools } from './HeaderTools';
import { ComparePanel } from './panels/ComparePanel';
import { CurvesPanel } from './panels/CurvesPanel';
import { DistributionPanel } from './panels/DistributionPanel';
import { ExperimentPanel } from './panels/ExperimentPanel';
import { GroupView } from './panels/GroupView';
import { JudgePanel } from './panels/JudgePanel';
import { ModelInspector } from './panels/ModelInspector';
import { PlotsPanel } from './panels/PlotsPanel';
import { Notices } from './panels/Notices';
import { WatchNote } from './panels/PresetPicker';
import { RolloutInspector } from './panels/RolloutInspector';
import { RunControls } from './panels/RunControls';

let started = false;

export function App() {
  const embed = useRun((s) => s.embed);
  useEffect(() => {
    // The stores ignore repeat calls, and `started` guards init, so StrictMode's double effect starts one of each.
    void useDeviceStore.getState().probe((override) => engineClient().probe(override));
    if (!started) {
      started = true;
      engineClient().onDevice((result) => useDeviceStore.getState().update(result));
      void runStore().getState().init(location.hash);
      // A run interrupted by a reload (or a crash) is offered back from its checkpoint.
      void durableStore().getState().init();
      // Created up front so a run that finishes is saved for comparison even when the panel is not shown.
      compareStore();
      // Up front too: the judge kept from an earlier visit is loaded back even in embed mode (no Rewards panel).
      judgeStore();
    }
    const onHash = () => runStore().getState().loadHash(location.hash);
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return (
    <>
      <header className="app-header">
        <div>
          <h1>GRPO Playground</h1>
          <p className="tagline">A tiny transformer policy trained with GRPO in your browser, on hand-written WGSL kernels.</p>
        </div>
        <HeaderTools />
        <DeviceBadge />
      </header>
      <div className="app-body" data-embed={embed || undefined}>
        {!embed && <ExperimentPanel />}
        <main className="app-main">
          <Notices />
          <DurableRunNotices />
          <RunControls />
          <WatchNote />
          {/* Each DeferredRun level renders a new iteration after the one around it (see DeferredRun.tsx). */}
          <DeferredRun>
            <CurvesPanel />
            <PlotsPanel />
            <DeferredRun>
              <DistributionPanel />
              <div className="inspect-grid">
                <GroupView />
                <RolloutInspector />
              </div>
              <DeferredRun>
                <ModelInspector />
                <JudgePanel />
              </DeferredRun>
            </DeferredRun>
          </DeferredRun>
          <ComparePanel />
        </main>
      </div>
    </>
  );
}
