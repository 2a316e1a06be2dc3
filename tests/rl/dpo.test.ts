/**
 * Semi-online DPO (src/rl/dpo/): its defining behaviour — training on preference pairs raises the implicit reward
 * accuracy and the chosen−rejected margin — plus the generator's sync interval, the reference's sync, the records,
 * the config section and an exact resume. Seeded, on the wasm backend (the CPU oracle's twin, checked by parity).
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/engine/backend';
import type { Weights } from '../../src/model/weights';
import { readWeights } from '../../src/model/weights';
import { DpoTrainer } from '../../src/rl/dpo/trainer';
import { Experiment } from '../../src/rl/experiment';
import { trlScript } from '../../src/rl/exportTrl';
import { parseRunConfig, type RunConfig } from '../../src/rl/runConfig';
import type { Metrics } from '../../src/rl/trainer';
import { createTrainer } from '../../src/rl/trainers';
import { wasmBackend } from '../harness/wasm';

/** Sorting three digits after a short warm-start: about one sample in five is correct, so most prompts make a pair. */
const SORTING = {
  algorithm: 'dpo',
  task: 'sorting',
  difficulty: { length: 3 },
  seed: 2,
  model: { preset: 'tiny', contextLength: 16 },
  sft: { steps: 100, batch: 32, lr: 3e-3 },
  grpo: { num_generations: 16, prompts_per_step: 16, max_completion_length: 4, learning_rate: 1e-3 },
  iterations: 20,
  eval: { n: 8, every: 100 },
};

const dpoRun = (dpo: object, over: object = {}): RunConfig => parseRunConfig({ ...SORTING, ...over, dpo });

async function warmTrainer(be: Backend, run: RunConfig): Promise<{ exp: Experiment; trainer: DpoTrainer }> {
  const exp = new Experiment(be, run);
  await exp.warmStart();
  const trainer = createTrainer({ be, run, policy: exp.policy, tokenizer: exp.tokenizer, task: exp.task });
  if (!(trainer instanceof DpoTrainer)) throw new Error('algorithm dpo did not build a DpoTrainer');
  return { exp, trainer };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const same = (a: Weights, b: Weights) => [...a].every(([name, w]) => w.every((v, i) => v === b.get(name)![i]));

describe('DPO', () => {
  it('raises the implicit reward accuracy and the chosen−rejected margin on pairs from a fixed generator', async () => {
    // Offline: every batch comes from the initial policy, which is also π_ref, so the implicit rewards measure what
    // the policy learned about fresh pairs of the same distribution. At iteration 1 π = π_ref: every reward is 0.
    // The first large steps lower both log-probs and the margin dips (iterations 2–5); then it climbs.
    const run = dpoRun({ beta: 0.1, sync_interval: 'offline', ref_sync: true }, { grpo: { ...SORTING.grpo, prompts_per_step: 32, learning_rate: 3e-3 } });
    const { trainer } = await warmTrainer(await wasmBackend(), run);
    const ms: Metrics[] = [];
    for (let i = 0; i < 20; i++) ms.push((await trainer.step()).metrics);
    expect(ms.every((m) => m['dpo/pairs'] > 0)).toBe(true);
    expect(ms[0]['rewards/margins']).toBe(0);
    expect(ms[0]['rewards/accuracies']).toBe(0);
    const early = ms.slice(1, 5), late = ms.slice(-5);
    const avg = (window: Metrics[], key: string) => mean(window.map((m) => m[key]));
    const show = (key: string) => `${key} ${avg(early, key).toFixed(3)} → ${avg(late, key).toFixed(3)}`;
    console.log(`dpo offline, iterations 2–5 → 16–20: ${['rewards/accuracies', 'rewards/margins', 'loss'].map(show).join(', ')}`);
    expect(avg(late, 'rewards/accuracies') - avg(early, 'rewards/accuracies')).toBeGreaterThan(0.15);
    expect(avg(late, 'rewards/margins') - avg(early, 'rewards/margins')).toBeGreaterThan(0.1);
    expect(avg(late, 'rewards/accuracies')).toBeGreaterThan(0.6);
    expect(avg(late, 'rewards/margins')).toBeGreaterThan(0.1);
    expect(avg(late, 'rewards/chosen')).toBeGreaterThan(avg(late, 'rewards/rejected'));
    expect(avg(late, 'loss')).toBeLessThan(Math.log(2) - 0.03);
  }, 120_000);

  it('syncs the generator every s optimizer steps and keeps a fixed reference when ref_sync is off', async () => {
    const be = await wasmBackend();
    const { exp, trainer } = await warmTrainer(be, dpoRun({ beta: 0.1, sync_interval: 3, ref_sync: false }));
    const initial = await readWeights(be, exp.policy);
    expect(trainer.reference).not.toBe(trainer.generator);
    for (let i = 1; i <= 7; i++) {
      const { metrics } = await trainer.step();
      expect(metrics['dpo/pairs']).toBeGreaterThan(0);
      expect(metrics['dpo/generator_lag']).toBe((i - 1) % 3);
      const policy = await readWeights(be, exp.policy);
      expect(same(await readWeights(be, trainer.generator), policy), `after step ${i}`).toBe(i % 3 === 0);
      expect(same(await readWeights(be, trainer.reference), initial)).toBe(true);
    }
  }, 120_000);

  it('offline never syncs the generator; with ref_sync the reference is the generator', async () => {
    const be = await wasmBackend();
    const { exp, trainer } = await warmTrainer(be, dpoRun({ beta: 0.1, sync_interval: 'offline', ref_sync: true }));
    const initial = await readWeights(be, exp.policy);
    expect(trainer.reference).toBe(trainer.generator);
    for (let i = 1; i <= 4; i++) {
      const { metrics } = await trainer.step();
      expect(metrics['dpo/generator_lag']).toBe(i - 1);
      expect(same(await readWeights(be, trainer.generator), initial)).toBe(true);
      expect(same(await readWeights(be, exp.policy), initial)).toBe(false);
    }
  }, 120_000);

  it('online (s = 1) samples with the current policy: the generator equals it after every step', async () => {
    const be = await wasmBackend();
    const { exp, trainer } = await warmTrainer(be, dpoRun({ beta: 0.1, sync_interval: 1, ref_sync: true }));
    for (let i = 0; i < 3; i++) {
      const { metrics } = await trainer.step();
      expect(metrics['dpo/generator_lag']).toBe(0);
      // π_ref is the policy before its step: the implicit rewards at the step are exactly 0.
      expect(metrics['rewards/margins']).toBe(0);
      expect(same(await readWeights(be, trainer.generator), await readWeights(be, exp.policy))).toBe(true);
    }
  }, 120_000);

  it('marks each pair in the records (+1 chosen, −1 rejected, 0 otherwise) and logs the metrics', async () => {
    const { trainer } = await warmTrainer(await wasmBackend(), dpoRun({ beta: 0.1, sync_interval: 1, ref_sync: true }));
    const { metrics, rollouts } = await trainer.step();
    const G = SORTING.grpo.num_generations, P = SORTING.grpo.prompts_per_step;
    expect(rollouts).toHaveLength(P * G);
    const chosen = rollouts.filter((r) => r.advantage === 1), rejected = rollouts.filter((r) => r.advantage === -1);
    expect(chosen.length).toBe(metrics['dpo/pairs']);
    expect(rejected.length).toBe(metrics['dpo/pairs']);
    expect(metrics['dpo/pairs'] + metrics['dpo/skipped_prompts']).toBe(P);
    expect(chosen.every((r) => r.correct) && rejected.every((r) => !r.correct)).toBe(true);
    for (let g = 0; g < P; g++) {
      const inGroup = rollouts.filter((r) => r.group === g);
      const kinds = new Set(inGroup.map((r) => r.correct));
      expect(inGroup.filter((r) => r.advantage !== 0).length).toBe(kinds.size === 2 ? 2 : 0);
    }
    for (const key of ['loss', 'grad_norm', 'learning_rate', 'rewards/chosen', 'rewards/rejected', 'rewards/margins', 'rewards/accuracies', 'entropy', 'reward', 'accuracy_train']) {
      expect(Number.isFinite(metrics[key]), key).toBe(true);
    }
    const tokens = rollouts.reduce((n, r) => n + r.entropies.length, 0);
    expect(metrics.entropy).toBeCloseTo(rollouts.reduce((s, r) => s + r.entropies.reduce((a, b) => a + b, 0), 0) / tokens, 5);
  }, 120_000);

  it('takes no step on an iteration without pairs and logs no loss for it', async () => {
    // One completion per prompt cannot hold both kinds; G ≥ 2 is required, so every group is all-wrong instead:
    // a 1-step warm-start on 5-digit sorting gets nothing right.
    const run = dpoRun({ beta: 0.1, sync_interval: 1, ref_sync: true }, { difficulty: { length: 5 }, sft: { steps: 0, batch: 8, lr: 3e-3 }, grpo: { ...SORTING.grpo, num_generations: 2, prompts_per_step: 2 } });
    const be = await wasmBackend();
    const { exp, trainer } = await warmTrainer(be, run);
    const before = await readWeights(be, exp.policy);
    const { metrics } = await trainer.step();
    expect(metrics['dpo/pairs']).toBe(0);
    expect(metrics['dpo/skipped_prompts']).toBe(2);
    expect(metrics.loss).toBeUndefined();
    expect(metrics['rewards/margins']).toBeUndefined();
    expect(same(await readWeights(be, exp.policy), before)).toBe(true);
  }, 120_000);

  it('resumes exactly: optimizer, prompt stream, generator and reference come back from the saved state', async () => {
    const run = dpoRun({ beta: 0.1, sync_interval: 2, ref_sync: false }, { iterations: 5 });
    const deterministic = (m: Metrics) => Object.fromEntries(Object.entries(m).filter(([k]) => k !== 'step_time' && !k.startsWith('time/')));
    const straight = new Experiment(await wasmBackend(), run);
    await straight.warmStart();
    const a: Metrics[] = [];
    for (let i = 0; i < 5; i++) a.push((await straight.trainStep()).metrics);

    const first = new Experiment(await wasmBackend(), run);
    await first.warmStart();
    for (let i = 0; i < 3; i++) await first.trainStep();
    const state = await first.saveState();
    expect(Object.keys(state.trainer!.models!).sort()).toEqual(['generator', 'reference']);
    const resumed = new Experiment(await wasmBackend(), run);
    resumed.loadState(state);
    const b: Metrics[] = [];
    for (let i = 0; i < 2; i++) b.push((await resumed.trainStep()).metrics);
    expect(b.map(deterministic)).toEqual(a.slice(3).map(deterministic));
    expect(same(await readWeights(resumed.be, resumed.policy), await readWeights(straight.be, straight.policy))).toBe(true);
  }, 120_000);

  it('refuses a state saved with another reference setting', async () => {
    const be = await wasmBackend();
    const fixed = await warmTrainer(be, dpoRun({ beta: 0.1, sync_interval: 2, ref_sync: false }));
    const synced = await warmTrainer(be, dpoRun({ beta: 0.1, sync_interval: 2, ref_sync: true }));
    const state = await fixed.trainer.saveState();
    expect(() => synced.trainer.loadState(state)).toThrow(/different dpo\.ref_sync setting/);
    expect(() => synced.trainer.loadState({ ...state, models: {} })).toThrow(/no DPO generator weights/);
  }, 120_000);
});

describe('DPO config', () => {
  it('fills the dpo section for configs written before it existed', () => {
    const run = parseRunConfig({ task: 'addition' });
    expect(run.algorithm).toBe('grpo');
    expect(run.dpo).toEqual({ beta: 0.1, sync_interval: 1, ref_sync: true, pairs: 'random' });
    expect(parseRunConfig({ algorithm: 'dpo', dpo: { sync_interval: 'offline' } }).dpo).toEqual({ beta: 0.1, sync_interval: 'offline', ref_sync: true, pairs: 'random' });
  });

  it('names what is wrong', () => {
    expect(() => parseRunConfig({ algorithm: 'dpo', dpo: { sync_interval: 0 } })).toThrow(/dpo\.sync_interval: must be an integer in \[1, 100000\] or "offline" \(got 0\)/);
    expect(() => parseRunConfig({ dpo: { sync_interval: 'never' } })).toThrow(/dpo\.sync_interval: .*got "never"/);
    expect(() => parseRunConfig({ dpo: { beta: 0 } })).toThrow(/dpo\.beta: must be a number in \(0, 100\]/);
    expect(() => parseRunConfig({ dpo: { pairs: 'all' } })).toThrow(/dpo\.pairs: must be one of random, best_worst/);
    expect(() => parseRunConfig({ dpo: { refsync: true } })).toThrow(/dpo\.refsync: unknown option; did you mean ref_sync\?/);
    expect(() => parseRunConfig({ algorithm: 'ppo' })).toThrow(/unknown algorithm "ppo" \(available: grpo, dpo, /);
  });

  it('is refused by export-trl, which writes GRPO scripts only', () => {
    expect(() => trlScript(parseRunConfig({ algorithm: 'dpo' }))).toThrow(/export-trl writes a TRL GRPOConfig script; a run with algorithm "dpo" has no TRL equivalent/);
    expect(trlScript(parseRunConfig({ algorithm: 'grpo' }))).toContain('GRPOConfig');
  });
});
