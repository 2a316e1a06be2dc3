/** Legend labels from the settings that differ between runs. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RUN, parseRunConfig } from '../../src/rl/runConfig';
import { diffLabels, differingPaths, flattenConfig } from '../../src/store/configDiff';

const a = parseRunConfig(DEFAULT_RUN);
const b = parseRunConfig({ ...DEFAULT_RUN, seed: 2, grpo: { ...DEFAULT_RUN.grpo, beta: 0.1 } });

describe('config differences', () => {
  it('flattens nested settings to dotted paths with JSON values', () => {
    expect(flattenConfig({ x: { y: 1, z: [1, 2] }, s: 'a' })).toEqual({ 'x.y': '1', 'x.z': '[1,2]', s: '"a"' });
  });

  it('lists the paths that differ and labels each run by them', () => {
    expect(differingPaths([a, b])).toEqual(['grpo.beta', 'seed']);
    expect(diffLabels([a, b], ['one', 'two'])).toEqual([`grpo.beta=${a.grpo.beta}, seed=1`, 'grpo.beta=0.1, seed=2']);
  });

  it('counts a setting only one run has, caps the parts, and falls back to names for identical configs', () => {
    const withMta = parseRunConfig({ ...DEFAULT_RUN, model: { preset: 'tiny', contextLength: 32, nLayer: 3 } });
    expect(differingPaths([a, withMta])).toEqual(['model.nLayer']);
    expect(diffLabels([a, withMta], ['x', 'y'])).toEqual(['model.nLayer=unset', 'model.nLayer=3']);
    expect(diffLabels([a, b], ['x', 'y'], 1)).toEqual([`grpo.beta=${a.grpo.beta}, +1 more`, 'grpo.beta=0.1, +1 more']);
    expect(diffLabels([a, a], ['first', 'second'])).toEqual(['first', 'second']);
    expect(diffLabels([a], ['only'])).toEqual(['only']);
  });
});
