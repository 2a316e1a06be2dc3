/** Run events → state: appended histories (new arrays, so narrow selectors see changes), ETA, errors, reset. */
import { describe, expect, it } from 'vitest';
import { EMPTY_RUN, grpoEtaMs, reduceRunEvent, rewindTo, sftEtaMs, type RunData } from '../../src/store/runReducer';
import type { RunEvent } from '../../src/worker/protocol';

const apply = (s: RunData, ...events: RunEvent[]) => events.reduce((acc, e) => ({ ...acc, ...reduceRunEvent(acc, e) }), s);

const SNAPSHOT = { params: [{ name: 'embed.weight', shape: [4, 2], norm: 1, gradNorm: 0.1 }], mta: [] };

describe('reduceRunEvent', () => {
  it('collects SFT progress and computes the ETA from the mean step time', () => {
    const s = apply(
      EMPTY_RUN,
      { kind: 'sft', total: 10, elapsedMs: 100, metrics: { step: 1, loss: 3, gradNorm: 1, lr: 1e-3 } },
      { kind: 'sft', total: 10, elapsedMs: 200, metrics: { step: 2, loss: 2.5, gradNorm: 1, lr: 1e-3 } },
    );
    expect(s.sft).toEqual({ step: 2, total: 10, elapsedMs: 200, loss: [3, 2.5] });
    expect(sftEtaMs(s.sft!)).toBe(800);
  });

  it('appends metric points per name and leaves other series untouched', () => {
    const base = apply(EMPTY_RUN, { kind: 'baseline', eval: { accuracy: 0.25, pass_at_1: 0.2, pass_at_k: 0.5, k: 4 } });
    expect(base.metrics).toEqual({ accuracy: [{ step: 0, value: 0.25 }], 'pass@1': [{ step: 0, value: 0.2 }], 'pass@4': [{ step: 0, value: 0.5 }] });
    const it1 = apply(base, { kind: 'iteration', iteration: 1, total: 5, metrics: { step: 1, reward: 0.5, kl: Number.NaN }, rollouts: [], plots: [], eval: null, model: SNAPSHOT });
    expect(it1.metrics.reward).toEqual([{ step: 1, value: 0.5 }]);
    expect(it1.metrics).not.toHaveProperty('kl');
    expect(it1.metrics).not.toHaveProperty('step');
    expect(it1.metrics.accuracy).toBe(base.metrics.accuracy);
    expect(it1.rewardHistory).toEqual([[]]);
    expect(it1.model).toBe(SNAPSHOT);
  });

  it('keeps the latest plot of each id, in the order the ids first came', () => {
    const plot = (id: string, y: number) => ({ id, title: id, xLabel: 't', yLabel: 'acc', kind: 'line' as const, series: [{ label: 'a', points: [{ x: 0, y }] }] });
    const at = (i: number, plots: ReturnType<typeof plot>[]): RunEvent => ({ kind: 'iteration', iteration: i, total: 3, metrics: {}, rollouts: [], plots, eval: null, model: SNAPSHOT });
    const s = apply(EMPTY_RUN, at(1, [plot('oaa', 0.1), plot('split', 0.2)]), at(2, [plot('split', 0.5)]), at(3, [plot('new', 0.7), plot('oaa', 0.3)]));
    expect(s.plots.map((p) => [p.id, p.series[0].points[0].y])).toEqual([
      ['oaa', 0.3],
      ['split', 0.5],
      ['new', 0.7],
    ]);
  });

  it('logs the baseline evaluation’s task metrics at step 0 and shows its plots', () => {
    const oaa = { id: 'think/oaa', title: 'OAA_t', xLabel: 't', yLabel: 'OAA_t', kind: 'line' as const, series: [{ label: 'easy', points: [{ x: 0, y: 0 }] }] };
    const s = apply(EMPTY_RUN, { kind: 'baseline', eval: { accuracy: 0.25, pass_at_1: 0.2, pass_at_k: 0.5, k: 4, task: { 'think/auc_oaa': 0.4 }, plots: [oaa] } });
    expect(s.metrics['think/auc_oaa']).toEqual([{ step: 0, value: 0.4 }]);
    expect(s.plots).toEqual([oaa]);
  });

  it('keeps the error message until a fresh run starts', () => {
    let s = apply(EMPTY_RUN, { kind: 'error', message: 'NaN loss', deviceLost: false });
    s = apply(s, { kind: 'status', status: 'error', iteration: 0, sftDone: false });
    expect(s.error).toEqual({ message: 'NaN loss', deviceLost: false, resumeFrom: null });
    s = apply(s, { kind: 'status', status: 'idle', iteration: 0, sftDone: false });
    expect(s.error).toBeNull();
    expect(s.status).toBe('idle');
  });

  it('keeps a device loss with the iteration to resume from while the run is lost', () => {
    let s = apply(EMPTY_RUN, { kind: 'error', message: 'WebGPU device-lost: destroyed', deviceLost: true, resumeFrom: 3 });
    s = apply(s, { kind: 'status', status: 'lost', iteration: 4, sftDone: true });
    expect(s.error).toEqual({ message: 'WebGPU device-lost: destroyed', deviceLost: true, resumeFrom: 3 });
    s = apply(s, { kind: 'status', status: 'paused', iteration: 3, sftDone: true });
    expect(s.error).toBeNull();
  });

  it('rewinds the histories to the checkpoint a resume continues from', () => {
    const iteration = (i: number): RunEvent => ({ kind: 'iteration', iteration: i, total: 5, metrics: { reward: i / 10 }, rollouts: [], plots: [], eval: null, model: SNAPSHOT });
    const base = apply(EMPTY_RUN, { kind: 'baseline', eval: { accuracy: 0.25, pass_at_1: 0.2, pass_at_k: 0.5, k: 4 } }, iteration(1), iteration(2), iteration(3));
    const s = { ...base, ...rewindTo(base, 1) };
    expect(s.metrics.reward).toEqual([{ step: 1, value: 0.1 }]);
    expect(s.metrics.accuracy).toEqual([{ step: 0, value: 0.25 }]);
    expect(s.rewardHistory).toHaveLength(1);
    expect(apply(s, iteration(2)).metrics.reward.map((p) => p.step)).toEqual([1, 2]);
  });

  it('estimates the GRPO time left from the last five iterations', () => {
    const times = [10, 1, 1, 1, 2, 1].map((value, i) => ({ step: i + 1, value }));
    expect(grpoEtaMs({ metrics: { 'time/iteration': times }, iteration: 6, total: 10 })).toBeCloseTo(4 * 1.2 * 1000, 6);
    expect(grpoEtaMs({ metrics: {}, iteration: 0, total: 10 })).toBeNaN();
    expect(grpoEtaMs({ metrics: { 'time/iteration': times }, iteration: 10, total: 10 })).toBe(0);
  });
});
