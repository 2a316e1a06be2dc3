/** The URL hash round-trips every setting; anything unreadable is explained and replaced by the defaults. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RUN, parseRunConfig } from '../../src/rl/runConfig';
import { DEFAULT_PRESET } from '../../src/rl/presets/catalog';
import { decodeHash, encodeHash } from '../../src/store/urlState';

const b64url = (s: string) => Buffer.from(s).toString('base64url');

describe('URL hash state', () => {
  it('round-trips a full config with the seed and the embed flag', () => {
    const cfg = parseRunConfig({ task: 'find-block', seed: 77, grpo: { beta: 0.04, label_mode: 'restrain' }, rewards: { judge: { keyword: 'é✓' } } });
    const hash = encodeHash(cfg, true);
    expect(hash).toMatch(/^#run=[A-Za-z0-9_-]+&embed=1$/);
    expect(decodeHash(hash)).toEqual({ config: cfg, embed: true, error: null, presetId: null });
  });

  it('uses the defaults without complaint when there is no run setting', () => {
    expect(decodeHash('')).toEqual({ config: parseRunConfig(DEFAULT_PRESET.config), embed: false, error: null, presetId: 'watch-learn' });
    expect(decodeHash('#embed=1')).toMatchObject({ embed: true, error: null });
  });

  it('accepts a hand-written partial config, filled with defaults', () => {
    const h = decodeHash(`#run=${b64url('{"seed":9}')}`);
    expect(h.error).toBeNull();
    expect(h.config).toEqual({ ...DEFAULT_RUN, seed: 9 });
  });

  it.each([
    ['#run=%%%', /not valid base64url/],
    [`#run=${b64url('{"seed":')}`, /not valid JSON/],
    [`#run=${b64url('[1,2]')}`, /must be a JSON object/],
    [`#run=${b64url('{"task":"nope"}')}`, /unknown task "nope"/],
    [`#run=${b64url('{"grpo":{"num_generations":1,"top_p":2}}')}`, /grpo\.num_generations: must be an integer in \[2, 64\][\s\S]*grpo\.top_p: must be a number in/],
    ['#run=' + Buffer.from([0xff, 0xfe]).toString('base64url'), /base64url/],
  ])('explains %s and falls back to the defaults', (hash, why) => {
    const h = decodeHash(hash);
    expect(h.config).toEqual(DEFAULT_RUN);
    expect(h.error).toMatch(/could not be used, so the defaults are shown/);
    expect(h.error).toMatch(why);
  });
});
