/**
 * Device work of one GRPO iteration on WebGPU, counted (never timed): one submission per rollout, one for the
 * scoring forwards (when there are any) and one per optimizer step, each followed by a single read-back of only
 * what the host needs — tokens with their log-probs and entropies, and the step's loss statistics.
 */
import { describe, expect, it } from 'vitest';
import { statsDelta, type Backend, type BackendStats } from '../../src/engine/backend';
import type { Tensor } from '../../src/engine/tensor';
import { Experiment } from '../../src/rl/experiment';
import { parseRunConfig } from '../../src/rl/runConfig';
import { gpuBackend } from '../harness/gpu';
import { TINY_RUN } from '../tinyRun';

// No held-out evaluation inside the counted iterations.
const tiny = { ...TINY_RUN, iterations: 10, eval: { n: 0, every: 1000 } };

/** The backend with every read's tensor label and size recorded. */
function recordingReads(be: Backend): { be: Backend; reads: Array<{ label: string; bytes: number }> } {
  const reads: Array<{ label: string; bytes: number }> = [];
  const read = (t: Tensor) => {
    reads.push({ label: t.label, bytes: t.numel * 4 });
    return be.read(t);
  };
  return { be: Object.assign(Object.create(be) as Backend, { read }), reads };
}

async function countIteration(grpo: object): Promise<{ work: BackendStats; reads: string[]; bytes: number }> {
  const { be, reads } = recordingReads(await gpuBackend());
  const exp = new Experiment(be, parseRunConfig({ ...tiny, grpo: { ...tiny.grpo, ...grpo } }));
  await exp.trainStep();
  reads.length = 0;
  const before = be.stats!();
  await exp.trainStep();
  return { work: statsDelta(be.stats!(), before), reads: reads.map((r) => r.label), bytes: reads.reduce((a, r) => a + r.bytes, 0) };
}

describe('GRPO iteration device work on webgpu', () => {
  it('is one submit and one read-back for the rollout and for the optimizer step', async () => {
    const { work, reads, bytes } = await countIteration({});
    expect(work).toMatchObject({ submits: 2, readbacks: 2, bytesRead: bytes, pipelines: 0 });
    expect(reads).toEqual(['generate.tokens', 'generate.logp', 'generate.entropy', 'policyLoss.stats', 'entropy', 'adamw.stats']);
  });

  it('adds one submit and one read-back for the old-policy and reference log-probs together, and one per extra step', async () => {
    const { work } = await countIteration({ beta: 0.04, num_iterations: 2, minibatches: 2 });
    // rollout + scoring forwards (2 minibatches × policy and reference) + 2 passes × 2 minibatches.
    expect(work).toMatchObject({ submits: 6, readbacks: 6, pipelines: 0 });
  });
});
