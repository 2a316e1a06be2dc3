/**
 * The model inspector's read-outs from the run host on the CPU backend (attention maps, norms, MTA kernels),
 * and what the per-iteration snapshot costs on WebGPU (counted, not timed).
 */
import { describe, expect, it } from 'vitest';
import { statsDelta } from '../../src/engine/backend';
import { Transformer } from '../../src/model/transformer';
import { parseRunConfig, runModelConfig } from '../../src/rl/runConfig';
import { modelSnapshot } from '../../src/worker/inspect';
import type { RunEvent } from '../../src/worker/protocol';
import { gpuBackend } from '../harness/gpu';
import { cpuHarness, TINY_RUN } from './engineHarness';

/** A length reward makes rewards differ within a group even for an untrained policy, so there is a gradient. */
const SHAPED = { ...TINY_RUN, iterations: 1, rewards: { weights: { correct: 1, length: 1 } } };

const iterations = (events: RunEvent[]) => events.filter((e): e is Extract<RunEvent, { kind: 'iteration' }> => e.kind === 'iteration');

describe('model inspector read-outs', () => {
  it('sends parameter and gradient norms with every iteration, and no MTA kernels without MTA', async () => {
    const h = cpuHarness();
    await h.send({ type: 'configure', config: JSON.stringify(SHAPED) });
    await h.send({ type: 'train' });
    const [it1] = iterations(h.events);
    const names = it1.model.params.map((p) => p.name);
    expect(names).toContain('embed.weight');
    expect(names).toContain('layers.0.attn.wq.weight');
    expect(it1.model.params.every((p) => Number.isFinite(p.norm) && p.norm > 0 && Number.isFinite(p.gradNorm))).toBe(true);
    expect(it1.model.params.some((p) => p.gradNorm > 0)).toBe(true);
    expect(it1.model.mta).toEqual([]);
  });

  it('returns the MTA kernels when MTA is on, changed from their identity start by training', async () => {
    const h = cpuHarness();
    const mta = { layers: [], preConv: { cq: 2, ck: 3 }, postConv: null, padKey: 'both', headMixPre: true, headMixPost: 'none', groupNorm: false, depthScale: false, gate: 'none' };
    await h.send({ type: 'configure', config: JSON.stringify({ ...SHAPED, model: { ...TINY_RUN.model, mta }, grpo: { ...TINY_RUN.grpo, learning_rate: 0.05 } }) });
    await h.send({ type: 'train' });
    const kernels = iterations(h.events)[0].model.mta;
    expect(kernels.map((k) => k.name)).toEqual(['layers.0.attn.mta.kq_pre', 'layers.0.attn.mta.head_mix_pre']);
    const conv = kernels[0];
    expect(conv.shape).toEqual([2, 2, 3]);
    expect(conv.values).toHaveLength(12);
    // Identity start: one 1 per head at the last query row's centre tap; anything else means it trained.
    const identity = new Float32Array(12);
    identity[(0 * 2 + 1) * 3 + 1] = 1;
    identity[(1 * 2 + 1) * 3 + 1] = 1;
    expect(Array.from(conv.values)).not.toEqual(Array.from(identity));
  });

  it('computes causal attention maps of a rollout whose rows sum to 1, and rejects bad sequences clearly', async () => {
    const h = cpuHarness();
    await h.send({ type: 'configure', config: JSON.stringify({ ...TINY_RUN, iterations: 1 }) });
    await expect(h.send({ type: 'attention', sequence: { prompt: '1+2=', tokens: [], actSeed: 0, iteration: 0 } })).rejects.toThrow(/no model yet/);
    await h.send({ type: 'train' });
    const r = iterations(h.events)[0].rollouts[0];
    const maps = await h.send({ type: 'attention', sequence: { prompt: r.prompt, tokens: r.tokens, actSeed: r.actSeed, iteration: r.iteration } });
    const T = 1 + [...r.prompt].length + r.tokens.length;
    expect(maps.labels).toHaveLength(T);
    expect(maps.labels[0]).toBe('<bos>');
    expect(maps.nHead).toBe(2);
    expect(maps.maps).toHaveLength(1);
    expect(maps.ffnSparsity).toHaveLength(1);
    expect(maps.ffnSparsity[0]).toBeGreaterThanOrEqual(0);
    expect(maps.ffnSparsity[0]).toBeLessThanOrEqual(1);
    expect(maps.maps[0]).toHaveLength(2 * T * T);
    for (let hd = 0; hd < 2; hd++) {
      for (let q = 0; q < T; q++) {
        const row = maps.maps[0].subarray((hd * T + q) * T, (hd * T + q + 1) * T);
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
        for (let k = q + 1; k < T; k++) expect(row[k]).toBe(0);
      }
    }
    await expect(h.send({ type: 'attention', sequence: { prompt: r.prompt, tokens: [999], actSeed: 0, iteration: 0 } })).rejects.toThrow(/outside the vocabulary/);
    await expect(h.send({ type: 'attention', sequence: { prompt: 'xyz', tokens: [], actSeed: 0, iteration: 0 } })).rejects.toThrow(/cannot be encoded/);
    await expect(h.send({ type: 'attention', sequence: { prompt: '1+1=1+1=1+1=1+1=', tokens: [], actSeed: 0, iteration: 0 } })).rejects.toThrow(/context is 16/);
  });

  it('answers an attention request made while training between two iterations', async () => {
    const h = cpuHarness();
    await h.send({ type: 'configure', config: JSON.stringify({ ...TINY_RUN, iterations: 3 }) });
    await h.send({ type: 'step' });
    const r = iterations(h.events)[0].rollouts[0];
    const training = h.send({ type: 'train' });
    const maps = h.send({ type: 'attention', sequence: { prompt: r.prompt, tokens: r.tokens, actSeed: r.actSeed, iteration: r.iteration } });
    await training;
    expect((await maps).maps[0].length).toBeGreaterThan(0);
  });

  it('replays the FFN activation a rollout was sampled with (Swi+FT: RELU in the final iterations)', async () => {
    const h = cpuHarness();
    await h.send({ type: 'configure', config: JSON.stringify({ ...TINY_RUN, iterations: 2, model: { ...TINY_RUN.model, activation: 'silu', swiFtFraction: 0.5 } }) });
    await h.send({ type: 'train' });
    const [first, second] = iterations(h.events).map((e) => e.rollouts[0]);
    expect([first.iteration, second.iteration]).toEqual([0, 1]);
    const sparsity = async (r: typeof first) => (await h.send({ type: 'attention', sequence: { prompt: r.prompt, tokens: r.tokens, actSeed: r.actSeed, iteration: r.iteration } })).ffnSparsity[0];
    // SILU is never exactly 0; RELU zeroes about half of the hidden units.
    expect(await sparsity(first)).toBe(0);
    expect(await sparsity(second)).toBeGreaterThan(0.2);
  });

  it('reads the whole snapshot (every value and gradient) in one submission and one read-back on webgpu', async () => {
    const be = await gpuBackend();
    const model = Transformer.init(be, runModelConfig(parseRunConfig(TINY_RUN)), 1);
    await modelSnapshot(be, model);
    const before = be.stats!();
    const snapshot = await modelSnapshot(be, model);
    const floats = [...model.params.values()].reduce((n, p) => n + p.value.numel, 0);
    expect(statsDelta(be.stats!(), before)).toMatchObject({ submits: 1, readbacks: 1, bytesRead: 2 * floats * 4 });
    expect(snapshot.params).toHaveLength(model.params.size);
  });
});
