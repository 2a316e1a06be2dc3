/** Every preset is a valid config that differs from the defaults and says what to watch. */
import { describe, expect, it } from 'vitest';
import { MAIN_VARIANT } from '../../src/rl/presets/claims';
import { presetConfigs } from '../../src/rl/presets/harness';
import { DEFAULT_RUN } from '../../src/rl/runConfig';
import { PRESETS, presetRun } from '../../src/store/presets';

describe('presets', () => {
  it('has at least five, with unique ids', () => {
    expect(PRESETS.length).toBeGreaterThanOrEqual(5);
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length);
  });

  it.each(PRESETS.map((p) => [p.id, p] as const))('%s parses and explains itself', (_id, p) => {
    const run = presetRun(p);
    expect(run).not.toEqual(DEFAULT_RUN);
    expect(p.watch.length).toBeGreaterThan(80);
  });

  it('opens with "Watch GRPO learn", the default', () => {
    expect(PRESETS[0].id).toBe('watch-learn');
  });

  it.each(PRESETS.map((p) => [p.id, p] as const))('%s states a claim over variants that parse', (_id, p) => {
    expect(p.claim.length).toBeGreaterThan(0);
    const variants = presetConfigs(p, 1);
    for (const check of p.claim) {
      const named = check.kind === 'ahead' ? [check.variant, check.over] : [check.variant ?? MAIN_VARIANT];
      for (const v of named) expect(Object.keys(variants)).toContain(v);
    }
  });

  it('sets up the experiments it names', () => {
    const byId = Object.fromEntries(PRESETS.map((p) => [p.id, presetRun(p)]));
    expect(byId['mta-find-block'].task).toBe('find-block');
    expect(byId['mta-find-block'].model.mta?.preConv).toEqual({ cq: 2, ck: 3 });
    expect(byId['stocha-diversity'].model.activation).toBe('stochA');
    expect(byId['restrain-vs-ttrl'].grpo.label_mode).toBe('restrain');
    expect(byId['judge-hacking'].rewards.weights).toEqual({ correct: 0, judge: 1 });
    expect(byId['judge-hacking'].rewards.judge).toMatchObject({ keyword: '9', keywordBias: 1 });
  });
});
