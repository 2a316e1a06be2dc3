/**
 * Device loss and the ONNX judge in the run host: a loss mid-training pauses the run at its last in-memory
 * checkpoint and a resume continues exactly as if nothing had happened; the model_judge reward runs a loaded
 * judge and is refused with a reason when none fits.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/engine/backend';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { GpuError } from '../../src/engine/backend/webgpu/errors';
import type { RunEvent } from '../../src/worker/protocol';
import { RunHost } from '../../src/worker/runHost';
import { RenewableBackend, type SelectedBackend } from '../../src/worker/selectBackend';
import type { WebGpuBackend } from '../../src/engine/backend/webgpu';
import { TINY_RUN } from './engineHarness';

/** CPU backends whose reads fail as a lost device once `lose()` is called, until the backend is renewed. */
function flakyBackends() {
  let lost = false;
  const source = new RenewableBackend(async (): Promise<SelectedBackend> => {
    lost = false;
    const cpu = createCpuBackend();
    const backend: Backend = new Proxy(cpu, {
      get(target, prop, receiver) {
        if (prop === 'read') {
          return (t: Parameters<Backend['read']>[0]) => (lost ? Promise.reject(new GpuError('device-lost', 'test: device destroyed')) : target.read(t));
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    return { backend, device: cpu.device };
  });
  return { source, lose: () => void (lost = true) };
}

/** Metrics that depend on the run, not on how long it took. */
const deterministic = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).filter(([k]) => k !== 'step_time' && !k.startsWith('time/')));

function host(loseAfterIteration?: number) {
  const flaky = flakyBackends();
  const events: RunEvent[] = [];
  const h: RunHost = new RunHost(
    flaky.source,
    (e) => {
      events.push(e);
      if (e.kind === 'iteration' && e.iteration === loseAfterIteration) flaky.lose();
    },
    { checkpointEveryMs: 0 },
  );
  return { h, events };
}

const iterations = (events: RunEvent[]) => events.flatMap((e) => (e.kind === 'iteration' ? [e] : []));

describe('RunHost device loss', () => {
  it('pauses at the last checkpoint and resumes to the same run as one never interrupted', async () => {
    const cfg = JSON.stringify({ ...TINY_RUN, iterations: 4, grpo: { ...TINY_RUN.grpo, beta: 0.04 } });
    const straight = host();
    await straight.h.handle({ type: 'configure', config: cfg });
    await straight.h.handle({ type: 'warmStart' });
    await straight.h.handle({ type: 'train' });

    const broken = host(2);
    await broken.h.handle({ type: 'configure', config: cfg });
    await broken.h.handle({ type: 'warmStart' });
    await broken.h.handle({ type: 'train' });
    expect(broken.events.find((e) => e.kind === 'error')).toMatchObject({ deviceLost: true, resumeFrom: 2, message: /device-lost/ });
    expect(broken.events.at(-1)).toMatchObject({ kind: 'status', status: 'lost', iteration: 2 });
    await expect(broken.h.handle({ type: 'train' })).rejects.toThrow(/GPU device was lost; resume from the last checkpoint or reset/);

    await broken.h.handle({ type: 'resume' });
    expect(broken.events.at(-1)).toMatchObject({ kind: 'status', status: 'paused', iteration: 2 });
    await broken.h.handle({ type: 'train' });
    const a = iterations(straight.events);
    const b = iterations(broken.events);
    expect(b.map((e) => e.iteration)).toEqual([1, 2, 3, 4]);
    // Iterations 3 and 4 after the resume: same prompts, rollouts, rewards and updates (KL reference included).
    for (const i of [2, 3]) {
      expect(deterministic(b[i].metrics)).toEqual(deterministic(a[i].metrics));
      expect(b[i].rollouts.map((r) => r.completion)).toEqual(a[i].rollouts.map((r) => r.completion));
      expect(b[i].rollouts.map((r) => r.refLogprobs)).toEqual(a[i].rollouts.map((r) => r.refLogprobs));
    }
    expect(broken.events.at(-1)).toMatchObject({ kind: 'status', status: 'done', iteration: 4 });
  });

  it('a reset clicked while a resume is on its way wins; the resume leaves nothing behind', async () => {
    const { h, events } = host();
    await h.handle({ type: 'configure', config: JSON.stringify(TINY_RUN) });
    await h.handle({ type: 'step' });
    h.deviceLost('driver reset');
    const resumed = h.handle({ type: 'resume' });
    await expect(h.handle({ type: 'train' })).rejects.toThrow(/cannot train while the run is resuming: wait for it to finish/);
    await h.handle({ type: 'reset' });
    await resumed;
    expect(events.at(-1)).toMatchObject({ kind: 'status', status: 'idle', iteration: 0 });
    await h.handle({ type: 'warmStart' });
    expect(events.at(-1)).toMatchObject({ kind: 'status', status: 'paused', sftDone: true });
  });

  it('a device loss reported after an error keeps the error (a resume would only repeat it)', async () => {
    const { h, events } = host();
    await h.handle({ type: 'configure', config: JSON.stringify({ ...TINY_RUN, rewards: { weights: { correct: 1, length: 1 } }, grpo: { ...TINY_RUN.grpo, learning_rate: 1e30 }, iterations: 6 }) });
    await h.handle({ type: 'train' });
    expect(events.at(-1)).toMatchObject({ kind: 'status', status: 'error' });
    h.deviceLost('driver reset');
    expect(events.at(-1)).toMatchObject({ kind: 'status', status: 'error' });
  });

  it('a loss during warm-start has nothing to resume and says so; reset recovers', async () => {
    const flaky = flakyBackends();
    const events: RunEvent[] = [];
    const h = new RunHost(flaky.source, (e) => {
      events.push(e);
      if (e.kind === 'sft' && e.metrics.step === 2 && !events.some((x) => x.kind === 'error')) flaky.lose();
    });
    await h.handle({ type: 'configure', config: JSON.stringify(TINY_RUN) });
    await h.handle({ type: 'warmStart' });
    expect(events.find((e) => e.kind === 'error')).toMatchObject({ deviceLost: true, resumeFrom: null });
    await expect(h.handle({ type: 'resume' })).rejects.toThrow(/before the first checkpoint/);
    await h.handle({ type: 'reset' });
    await h.handle({ type: 'warmStart' });
    expect(events.at(-1)).toMatchObject({ kind: 'status', status: 'paused' });
  });

  it('a loss reported while paused offers the resume at once', async () => {
    const { h, events } = host();
    await h.handle({ type: 'configure', config: JSON.stringify(TINY_RUN) });
    await h.handle({ type: 'step' });
    h.deviceLost('driver reset');
    expect(events.at(-2)).toMatchObject({ kind: 'error', deviceLost: true, resumeFrom: 1 });
    expect(events.at(-1)).toMatchObject({ kind: 'status', status: 'lost' });
    await h.handle({ type: 'resume' });
    await h.handle({ type: 'step' });
    expect(events.at(-1)).toMatchObject({ kind: 'status', status: 'paused', iteration: 2 });
  });
});

describe('RunHost ONNX judge', () => {
  const dir = join(__dirname, '..', '..', 'public', 'models');
  const judge = () => ({ name: 'reversal-judge', onnx: new Uint8Array(readFileSync(join(dir, 'reversal-judge.onnx'))), spec: readFileSync(join(dir, 'reversal-judge.json'), 'utf8') });
  const REVERSAL = { ...TINY_RUN, task: 'reversal', difficulty: { length: 3 }, model: { ...TINY_RUN.model, contextLength: 24 }, rewards: { weights: { correct: 1, model_judge: 1 } }, iterations: 1 };

  it('scores every rollout with the loaded judge as the model_judge reward', async () => {
    const { h, events } = host();
    await h.handle({ type: 'configure', config: JSON.stringify(REVERSAL) });
    await expect(h.handle({ type: 'step' })).rejects.toThrow(/no ONNX judge is loaded: load one under Rewards/);
    expect(await h.handle({ type: 'loadJudge', judge: judge() })).toMatchObject({ name: 'reversal-judge' });
    await h.handle({ type: 'step' });
    const [it1] = iterations(events);
    for (const r of it1.rollouts) {
      expect(r.verdicts.model_judge?.rationale).toMatch(/^model judge wrote/);
      expect(r.parts.model_judge).toBeGreaterThanOrEqual(0);
      expect(r.parts.model_judge).toBeLessThanOrEqual(1);
    }
  });

  it('refuses to start training while a judge loads, and the judge it loads is the one used', async () => {
    const { h, events } = host();
    await h.handle({ type: 'configure', config: JSON.stringify(REVERSAL) });
    const loading = h.handle({ type: 'loadJudge', judge: judge() });
    await expect(h.handle({ type: 'step' })).rejects.toThrow(/cannot train while a judge is loading: wait for it to finish/);
    await loading;
    await h.handle({ type: 'step' });
    expect(iterations(events)).toHaveLength(1);
  });

  it('refuses a judge that cannot read the task, and keeps the judge when a bad file is loaded', async () => {
    const { h } = host();
    await h.handle({ type: 'loadJudge', judge: judge() });
    await expect(h.handle({ type: 'loadJudge', judge: { ...judge(), name: 'broken', onnx: new Uint8Array(8) } })).rejects.toThrow(/judge "broken"/);
    await h.handle({ type: 'configure', config: JSON.stringify({ ...TINY_RUN, rewards: { weights: { correct: 1, model_judge: 1 } } }) });
    await expect(h.handle({ type: 'step' })).rejects.toThrow(/judge "reversal-judge" cannot read "0" "1"[^]*of task "addition"/);
  });
});

describe('RunHost on WebGPU (Dawn) with a real device loss', () => {
  it('destroying the device mid-run pauses it, and the resume trains on a fresh device', async () => {
    const { createNodeWebGpuBackend } = await import('../../src/node/gpu');
    const source = new RenewableBackend(() => createNodeWebGpuBackend().then((backend) => ({ backend, device: backend.device })));
    const events: RunEvent[] = [];
    const h: RunHost = new RunHost(
      source,
      (e) => {
        events.push(e);
        if (e.kind === 'iteration' && e.iteration === 1 && !events.some((x) => x.kind === 'error')) {
          void source.current().then(({ backend }) => (backend as WebGpuBackend).runtime.device.destroy());
        }
      },
      { checkpointEveryMs: 0 },
    );
    await h.handle({ type: 'configure', config: JSON.stringify(TINY_RUN) });
    await h.handle({ type: 'train' });
    expect(events.find((e) => e.kind === 'error')).toMatchObject({ deviceLost: true, resumeFrom: 1 });
    expect(events.at(-1)).toMatchObject({ kind: 'status', status: 'lost' });
    await h.handle({ type: 'resume' });
    await h.handle({ type: 'train' });
    expect(iterations(events).map((e) => e.iteration)).toEqual([1, 2, 3]);
    expect(events.at(-1)).toMatchObject({ kind: 'status', status: 'done', iteration: 3 });
    (await source.current()).backend.dispose();
  });
});

describe('RunHost divergence', () => {
  it('stops a run whose loss turns NaN with the reason and keeps what it showed', async () => {
    const { h, events } = host();
    await h.handle({ type: 'configure', config: JSON.stringify({ ...TINY_RUN, iterations: 6, rewards: { weights: { correct: 1, length: 1 } }, grpo: { ...TINY_RUN.grpo, learning_rate: 1e30 } }) });
    await h.handle({ type: 'train' });
    const error = events.find((e) => e.kind === 'error');
    expect(error).toMatchObject({ deviceLost: false, message: /training diverged at GRPO iteration \d: loss .*Lower learning_rate \(1\.0e\+30 at this step\) or max_grad_norm/ });
    expect(events.at(-1)).toMatchObject({ kind: 'status', status: 'error' });
    await expect(h.handle({ type: 'step' })).rejects.toThrow(/hit an error; reset to continue/);
  });

  it('stops a warm-start that diverges, naming the SFT step', async () => {
    const { h, events } = host();
    await h.handle({ type: 'configure', config: JSON.stringify({ ...TINY_RUN, sft: { ...TINY_RUN.sft, lr: 1e30 } }) });
    await h.handle({ type: 'warmStart' });
    expect(events.find((e) => e.kind === 'error')).toMatchObject({ message: /training diverged at SFT step \d+: .*Lower the warm-start learning rate/ });
  });
});
