/** Run export/import files: round trip, the `cli train` layout, and corrupt files named by file and line. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RUN, parseRunConfig } from '../../src/rl/runConfig';
import { sampleRollout } from '../sampleRollout';
import { fileStem, metricsToJsonl, parseMetricsJsonl, parseRolloutsJsonl, parseRunFiles, runToFiles } from '../../src/store/runFiles';


const RUN = {
  name: 'addition seed 3',
  config: parseRunConfig({ ...DEFAULT_RUN, seed: 3 }),
  metrics: {
    accuracy: [
      { step: 0, value: 0.25 },
      { step: 2, value: 0.5 },
    ],
    reward: [
      { step: 1, value: 0.1 },
      { step: 2, value: 0.4 },
    ],
  },
  rollouts: [sampleRollout(1, 0), sampleRollout(1, 1)],
};

describe('run files', () => {
  it('round-trips config, metrics and rollouts', () => {
    const files = runToFiles(RUN);
    expect(files.metrics.trim().split('\n')).toEqual([
      '{"phase":"eval","step":0,"accuracy":0.25}',
      '{"phase":"grpo","step":1,"reward":0.1}',
      '{"phase":"grpo","step":2,"accuracy":0.5,"reward":0.4}',
    ]);
    expect(parseRunFiles(RUN.name, files)).toEqual(RUN);
  });

  it('reads what `cli train` writes: SFT lines skipped, only the last iteration of rollouts kept', () => {
    const cli = ['{"phase":"sft","step":1,"loss":2.3}', '{"phase":"eval","step":0,"accuracy":0.1,"pass@4":0.3}', '{"phase":"grpo","step":1,"reward":0.2}', ''].join('\n');
    expect(parseMetricsJsonl(cli)).toEqual({ accuracy: [{ step: 0, value: 0.1 }], 'pass@4': [{ step: 0, value: 0.3 }], reward: [{ step: 1, value: 0.2 }] });
    const rollouts = [sampleRollout(1, 0), sampleRollout(2, 0), sampleRollout(2, 1)].map((r) => JSON.stringify(r)).join('\n');
    expect(parseRolloutsJsonl(rollouts).map((r) => r.iteration)).toEqual([2, 2]);
  });

  it('names the file and line of the first problem', () => {
    expect(() => parseMetricsJsonl('{"step":1,"reward":0.1}\n{oops')).toThrow('metrics line 2 is not valid JSON');
    expect(() => parseMetricsJsonl('[1,2]')).toThrow('metrics line 1 is not a JSON object');
    expect(() => parseMetricsJsonl('{"reward":1}')).toThrow('metrics line 1 has no step');
    expect(() => parseMetricsJsonl('{"step":1,"reward":"high"}')).toThrow('metrics line 1: "reward" is not a number');
    expect(() => parseMetricsJsonl('\n\n')).toThrow('no metrics');
    const bad = { ...sampleRollout(1, 0), tokens: 'abc' };
    expect(() => parseRolloutsJsonl(JSON.stringify(bad))).toThrow('rollouts line 1: tokens: should be an array of numbers');
    expect(() => parseRolloutsJsonl(JSON.stringify({ ...sampleRollout(1, 0), reward: null }))).toThrow('rollouts line 1: reward: must be a number (got null)');
    expect(() => parseRunFiles('x', { config: '{"task":"nope"}', metrics: '{"step":1,"reward":1}' })).toThrow(/^config: [\s\S]*unknown task "nope"/);
  });

  it('makes safe file-name stems', () => {
    expect(fileStem('addition seed 3 2025-01-02 10:11:12')).toBe('addition-seed-3-2025-01-02-10-11-12');
    expect(fileStem('///')).toBe('run');
  });

  it('writes an empty rollouts file for a run without rollouts, and metrics parse back', () => {
    const files = runToFiles({ ...RUN, rollouts: [] });
    expect(files.rollouts).toBe('');
    expect(metricsToJsonl(parseMetricsJsonl(files.metrics))).toBe(files.metrics);
  });
});
