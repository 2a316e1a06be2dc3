/**
 * Every architecture knob of the Model settings survives the share link, and a link or config file with a bad
 * value is refused with a message naming the knob (shown in the Model section while editing).
 */
import { describe, expect, it } from 'vitest';
import { parseRunConfig, runModelConfig } from '../../src/rl/runConfig';
import { problemsBySection } from '../../src/store/configEdit';
import { decodeHash, encodeHash } from '../../src/store/urlState';

const MTA = {
  layers: [0, 2],
  preConv: { cq: 3, ck: 5 },
  postConv: { cq: 2, ck: 3 },
  padKey: 'both',
  headMixPre: true,
  headMixPost: 2,
  groupNorm: true,
  depthScale: true,
  gate: '1d',
};

const KNOBS = {
  model: {
    preset: 'small',
    nLayer: 3,
    nHead: 4,
    nEmbd: 64,
    contextLength: 32,
    ffn: 'gated',
    activation: 'stochA',
    stochP: 0.3,
    stochRegion: 'all',
    stochGranularity: 'token',
    swiFtFraction: 0.2,
    mta: MTA,
  },
};

describe('model knobs in the URL', () => {
  it('round-trip every MTA and FFN setting through encode → decode', () => {
    const cfg = parseRunConfig(KNOBS);
    expect(cfg.model).toEqual(KNOBS.model);
    const back = decodeHash(encodeHash(cfg, false));
    expect(back.error).toBeNull();
    expect(back.config).toEqual(cfg);
    const { preset, ...architecture } = KNOBS.model;
    expect(preset).toBe('small');
    expect(runModelConfig(back.config)).toMatchObject(architecture);
  });

  it('keeps the other head-mixing and padding variants', () => {
    for (const mta of [
      { ...MTA, headMixPost: 'linear', padKey: 'left', preConv: { cq: 1, ck: 4 }, postConv: null, gate: 'full' },
      { ...MTA, headMixPost: 'none', padKey: 'right', layers: [], preConv: null, groupNorm: false, depthScale: false, gate: 'none' },
    ]) {
      const cfg = parseRunConfig({ model: { ...KNOBS.model, mta } });
      expect(decodeHash(encodeHash(cfg, false)).config.model.mta).toEqual(mta);
    }
  });

  it.each([
    [{ mta: { ...MTA, preConv: { cq: 2, ck: 4 } } }, /model\.mta\.preConv\.ck: MTA pre-softmax key kernel size 4 must be odd with padding 'both'/],
    [{ mta: { ...MTA, postConv: { cq: 0, ck: 3 } } }, /model\.mta\.postConv\.cq: MTA post-softmax kernel sizes must be integers in \[1, 16\] \(got 0\)/],
    [{ mta: { ...MTA, headMixPost: 3 } }, /model\.mta\.headMixPost: MTA post-softmax head group size 3 must divide the number of heads \(4\)/],
    [{ mta: { ...MTA, headMixPost: 'grouped' } }, /model\.mta\.headMixPost: MTA post-softmax head mixing must be none, linear or a group size \(got "grouped"\)/],
    [{ mta: { ...MTA, layers: [1, 3] } }, /model\.mta\.layers: MTA layers 3 do not exist \(the model has 3 layers\)/],
    [{ mta: { ...MTA, layers: 1 } }, /model\.mta\.layers: MTA layers must be a list of 0-based layer numbers \(got 1\)/],
    [{ mta: { ...MTA, padKey: 'centre' } }, /model\.mta\.padKey: MTA key padding must be both, left or right \(got "centre"\)/],
    [{ mta: { ...MTA, gate: 'half' } }, /model\.mta\.gate: MTA output gate must be none, 1d or full \(got "half"\)/],
    [{ mta: { ...MTA, headMixPre: 'yes' } }, /model\.mta\.headMixPre: MTA headMixPre must be true or false \(got "yes"\)/],
    [{ mta: { ...MTA, groupNorm: false } }, /model\.mta\.depthScale: MTA depth scaling rescales the group norm output, so it needs group norm on/],
    [{ mta: true }, /model\.mta: must be null \(off\) or an object of MTA settings \(got true\)/],
    [{ ffn: 'glu' }, /model\.ffn: unknown ffn kind "glu"/],
    [{ stochRegion: 'some' }, /model\.stochRegion: unknown stochA region "some"/],
    [{ stochGranularity: 'step' }, /model\.stochGranularity: unknown stochA granularity "step"/],
    [{ stochP: 1.5 }, /model\.stochP: stochA p must be in \[0, 1\] \(got 1.5\)/],
    [{ swiFtFraction: 1 }, /model\.swiFtFraction: Swi\+FT fraction must be in \[0, 1\) \(got 1\)/],
  ])('refuses %j with a message naming the knob', (bad, why) => {
    const run = { model: { ...KNOBS.model, ...bad } };
    expect(() => parseRunConfig(run)).toThrow(why);
    // The same message is what the Model section shows while the setting is being edited.
    const draft = { ...parseRunConfig(KNOBS), model: run.model } as Parameters<typeof problemsBySection>[0];
    expect(problemsBySection(draft).model.join('\n')).toMatch(why);
  });
});
