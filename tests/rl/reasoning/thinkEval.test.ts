/**
 * The think-budget part of the held-out evaluation: metric names and values against hand-computed ones, the two
 * figures, splits missing; then the wiring into Experiment.evaluate and the easy-prompt think penalty reward.
 */
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../../src/engine/backend/cpu';
import { Experiment, heldOutMetrics } from '../../../src/rl/experiment';
import { ACCURACY_BY_THINK_PLOT_ID, OAA_PLOT_ID, thinkEvaluation } from '../../../src/rl/reasoning/thinkEval';
import { scoreCompletion, type RewardConfig } from '../../../src/rl/rewards';
import { isEvalMetric } from '../../../src/rl/presets/claims';
import { parseRunConfig } from '../../../src/rl/runConfig';
import { addition } from '../../../src/rl/tasks/arithmetic';
import { thinkBudget } from '../../../src/rl/tasks/think';
import { SAMPLES } from './thinkSamples';
import { NEUTRAL_JUDGE } from '../../../src/rl/judges/biased';


describe('think-budget evaluation', () => {
  it('logs AUC_OAA, accuracy, F1_otb and think tokens per split', () => {
    const { metrics } = thinkEvaluation(SAMPLES, 16);
    // AUC_OAA = (16/16 + 12/16 + 0 + 4/16) / 4 = 0.5; acc_hard = 0.5; F1 = 0.5.
    expect(metrics['think/auc_oaa']).toBeCloseTo(0.5);
    expect(metrics['think/acc_easy']).toBeCloseTo(0.75);
    expect(metrics['think/acc_hard']).toBeCloseTo(0.5);
    expect(metrics['think/f1_otb']).toBeCloseTo(0.5);
    expect(metrics['think/tokens_easy']).toBeCloseTo(4);
    expect(metrics['think/tokens_hard']).toBeCloseTo(4);
  });

  it('draws OAA_t for t = 0 … t_max and accuracy per think-token count, per split', () => {
    const { plots } = thinkEvaluation(SAMPLES, 16);
    const oaa = plots.find((p) => p.id === OAA_PLOT_ID)!;
    const easy = oaa.series.find((s) => s.label === 'easy')!.points;
    expect(easy.map((p) => p.x)).toEqual(Array.from({ length: 17 }, (_, t) => t));
    expect([easy[0].y, easy[1].y, easy[5].y, easy[12].y, easy[13].y]).toEqual([0, 0.25, 0.5, 0.5, 0.75]);
    // The mean of OAA_t over t = 1 … t_max is AUC_OAA.
    expect(easy.slice(1).reduce((a, p) => a + p.y, 0) / 16).toBeCloseTo(0.5);
    const byTokens = plots.find((p) => p.id === ACCURACY_BY_THINK_PLOT_ID)!;
    expect(byTokens.series.find((s) => s.label === 'easy')!.points).toEqual([
      { x: 0, y: 0.5 },
      { x: 4, y: 1 },
      { x: 12, y: 1 },
    ]);
    expect(byTokens.series.find((s) => s.label === 'hard')!.points).toEqual([
      { x: 2, y: 0 },
      { x: 6, y: 1 },
    ]);
  });

  it('logs only the metrics a split without samples leaves defined', () => {
    const easyOnly = thinkEvaluation(SAMPLES.slice(0, 4), 16).metrics;
    expect(Object.keys(easyOnly).sort()).toEqual(['think/acc_easy', 'think/auc_oaa', 'think/tokens_easy']);
    const hardOnly = thinkEvaluation(SAMPLES.slice(4), 16);
    expect(Object.keys(hardOnly.metrics).sort()).toEqual(['think/acc_hard', 'think/tokens_hard']);
    expect(hardOnly.plots[0].series.map((s) => s.label)).toEqual(['hard']);
  });
});

describe('think-budget metrics in the experiment', () => {
  const tiny = {
    seed: 2,
    model: { preset: 'tiny', nLayer: 1, nEmbd: 16, nHead: 2, contextLength: 32 },
    sft: { steps: 3, batch: 8, lr: 3e-3 },
    grpo: { num_generations: 2, prompts_per_step: 2, max_completion_length: 12 },
    iterations: 1,
    eval: { n: 8, every: 1 },
  };

  it('adds think/… metrics and both plots to a split task’s evaluation, t_max defaulting to the completion budget', async () => {
    const run = parseRunConfig({ ...tiny, task: 'think-budget', difficulty: { hardPercent: 50 } });
    expect(run.eval.t_max).toBeNull();
    const exp = new Experiment(createCpuBackend(), run);
    await exp.warmStart();
    const ev = await exp.evaluate();
    const logged = heldOutMetrics(ev);
    for (const m of ['think/auc_oaa', 'think/acc_hard', 'think/f1_otb', 'think/tokens_easy', 'think/tokens_hard']) expect(logged[m]).toBeTypeOf('number');
    expect(ev.plots?.map((p) => p.id)).toEqual([OAA_PLOT_ID, ACCURACY_BY_THINK_PLOT_ID]);
    expect(ev.plots![0].series[0].points.at(-1)!.x).toBe(12);
    // The same held-out completions measured against a smaller budget.
    const short = new Experiment(createCpuBackend(), parseRunConfig({ ...tiny, task: 'think-budget', difficulty: { hardPercent: 50 }, eval: { ...tiny.eval, t_max: 4 } }));
    await short.warmStart();
    const shortEv = await short.evaluate();
    expect(shortEv.plots![0].series[0].points.at(-1)!.x).toBe(4);
    expect(shortEv.task!['think/tokens_easy']).toBe(ev.task!['think/tokens_easy']);
    // A training step's evaluation carries them too.
    const step = await exp.trainStep();
    expect(step.metrics['think/f1_otb']).toBeTypeOf('number');
    expect(step.plots?.map((p) => p.id)).toEqual(expect.arrayContaining([OAA_PLOT_ID, ACCURACY_BY_THINK_PLOT_ID]));
    // Preset claims read them point to point, as held-out curves.
    expect(Object.keys(ev.task!).every(isEvalMetric)).toBe(true);
  });

  it('adds nothing for a task without splits', async () => {
    const exp = new Experiment(createCpuBackend(), parseRunConfig({ ...tiny, task: 'addition', difficulty: { digits: 1 }, grpo: { ...tiny.grpo, max_completion_length: 3 } }));
    const ev = await exp.evaluate();
    expect(ev.task).toBeUndefined();
    expect(Object.keys(heldOutMetrics(ev)).sort()).toEqual(['accuracy', 'pass@1', 'pass@2']);
  });

  it('rejects a t_max outside [1, max completion length]', () => {
    expect(() => parseRunConfig({ task: 'think-budget', eval: { t_max: 0 } })).toThrow(/eval\.t_max: must be an integer in \[1, 512\]/);
  });
});

describe('think_easy reward', () => {
  const cfg: RewardConfig = { weights: { correct: 1, think_easy: 2 }, overlongCache: 2, judge: NEUTRAL_JUDGE };

  it('charges think tokens / max length on easy prompts only', async () => {
    const easy = { prompt: '3+4=', answer: '7', demonstration: '{3+4=7}7', split: 'easy' as const };
    const hard = { prompt: '5+3*2=', answer: '16', demonstration: '{5+3=8;8*2=16}16', split: 'hard' as const };
    // "{3+4=7}7": 5 think tokens of a 20-token budget → −0.25, weighted 2 → −0.5; correct adds 1.
    const e = await scoreCompletion(thinkBudget, easy, '{3+4=7}7', 8, 20, cfg);
    expect(e.parts.think_easy).toBeCloseTo(-0.25);
    expect(e.reward).toBeCloseTo(0.5);
    expect((await scoreCompletion(thinkBudget, easy, '7', 1, 20, cfg)).reward).toBeCloseTo(1);
    const h = await scoreCompletion(thinkBudget, hard, '{5+3=8;8*2=16}16', 16, 20, cfg);
    expect(h.parts.think_easy).toBe(0);
    expect(h.verdicts.think_easy?.label).toBe('hard prompt');
    expect(h.reward).toBeCloseTo(1);
  });

  it('never charges a task without splits', async () => {
    const s = await scoreCompletion(addition, { prompt: '3+4=', answer: '7', demonstration: '7' }, '7', 1, 4, cfg);
    expect(s.parts.think_easy).toBe(0);
    expect(s.verdicts.think_easy?.label).toBe('no split');
  });
});
