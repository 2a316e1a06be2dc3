/** KV-cache decoding equals the full-sequence forward; generation is batched, padded correctly and one submission. */
import { describe, expect, it } from 'vitest';
import { Graph } from '../../src/engine/autograd';
import type { Backend } from '../../src/engine/backend';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { defaultMta, presetConfig } from '../../src/model/config';
import { generate, type GenerateOptions } from '../../src/model/generate';
import { BOS } from '../../src/model/tokenizer';
import { Transformer } from '../../src/model/transformer';
import { assertClose } from '../harness/compare';
import { gpuBackend } from '../harness/gpu';
import { wasmBackend } from '../harness/wasm';

const V = 11;
const config = presetConfig('tiny', V, { nEmbd: 16, nLayer: 2, ffnHidden: 32, contextLength: 16 });

async function fullLogits(be: Backend, model: Transformer, seq: number[]): Promise<Float32Array> {
  const g = new Graph(be, false);
  const T = seq.length;
  const { logits } = model.forward(g, g.input(seq, [1, T], 'i32'), g.input(seq.map((_, t) => t), [1, T], 'i32'));
  const out = (await be.read(logits)) as Float32Array;
  g.dispose();
  return out;
}

async function cachedLogits(be: Backend, model: Transformer, seq: number[], prefill: number): Promise<Float32Array> {
  const cache = model.createCache(be, 1, seq.length);
  const rows: Float32Array[] = [];
  const run = async (chunk: number[]) => {
    const g = new Graph(be, false);
    const pos = chunk.map((_, i) => cache.offset + i);
    const { logits } = model.forward(g, g.input(chunk, [1, chunk.length], 'i32'), g.input(pos, [1, chunk.length], 'i32'), { cache });
    cache.offset += chunk.length;
    rows.push((await be.read(logits)) as Float32Array);
    g.dispose();
  };
  await run(seq.slice(0, prefill));
  for (let t = prefill; t < seq.length; t++) await run([seq[t]]);
  return Float32Array.from(rows.flatMap((r) => Array.from(r)));
}

/** MTA with both convolutions (c_q = 3 and 2: four earlier query rows to recompute) and every extra. */
const mtaConfig = {
  ...config,
  nHead: 4,
  mta: defaultMta({ preConv: { cq: 3, ck: 3 }, postConv: { cq: 2, ck: 3 }, headMixPre: true, headMixPost: 2, groupNorm: true, gate: '1d' as const }),
};

/** Move every MTA parameter off its identity init so the convolutions really mix rows. */
async function perturbMta(be: Backend, model: Transformer) {
  for (const p of model.params.values()) {
    if (!p.name.includes('.mta.')) continue;
    const data = (await be.read(p.value)) as Float32Array;
    be.write(p.value, data.map((v, i) => v + 0.4 * Math.cos(3 * i + 1)));
  }
}

describe('KV-cache decoding', () => {
  const seq = [BOS, 4, 7, 3, 9, 5, 6, 8];
  const cases = (['cpu', 'webgpu', 'wasm'] as const).flatMap((name) => [false, true].map((mta) => [name, mta] as const));
  for (const [name, mta] of cases) {
    it(`equals full-sequence logits on ${name}${mta ? ' with MTA' : ''}`, async () => {
      const be = name === 'cpu' ? createCpuBackend() : name === 'wasm' ? await wasmBackend() : await gpuBackend();
      const model = Transformer.init(be, mta ? mtaConfig : config, 3);
      if (mta) await perturbMta(be, model);
      const full = await fullLogits(be, model, seq);
      assertClose('cached (prefill 3) vs full', await cachedLogits(be, model, seq, 3), full, { atol: 1e-5, rtol: 1e-4 });
      assertClose('cached (token by token) vs full', await cachedLogits(be, model, seq, 1), full, { atol: 1e-5, rtol: 1e-4 });
    });
  }
});

describe('generate', () => {
  const greedy: GenerateOptions = { maxNewTokens: 6, temperature: 1, topK: 0, topP: 1, greedy: true, seed: 1 };

  it('greedy decoding follows the argmax of the full forward', async () => {
    const be = createCpuBackend();
    const model = Transformer.init(be, config, 4);
    const [r] = await generate(be, model, [[BOS, 5, 6]], greedy);
    const seq = [BOS, 5, 6];
    for (let s = 0; s < r.tokens.length; s++) {
      const logits = await fullLogits(be, model, seq);
      const last = logits.subarray((seq.length - 1) * V, seq.length * V);
      expect(r.tokens[s]).toBe(last.indexOf(Math.max(...last)));
      seq.push(r.tokens[s]);
    }
    expect(r.logprobs.every((lp) => lp <= 0)).toBe(true);
    expect(r.entropies.every((h) => h >= 0 && h <= Math.log(V) + 1e-5)).toBe(true);
  });

  it('left-padded batches give the same completions as single prompts', async () => {
    const be = createCpuBackend();
    const model = Transformer.init(be, config, 5);
    const prompts = [[BOS, 3], [BOS, 8, 4, 9, 10]];
    const batched = await generate(be, model, prompts, greedy);
    for (let b = 0; b < prompts.length; b++) {
      const [alone] = await generate(be, model, [prompts[b]], greedy);
      expect(batched[b].tokens).toEqual(alone.tokens);
      assertClose('logprobs', batched[b].logprobs, alone.logprobs, { atol: 1e-5, rtol: 1e-4 });
    }
  });

  it('samples identically on webgpu and cpu, in one submission', async () => {
    const gpu = await gpuBackend();
    const cpu = createCpuBackend();
    const opts: GenerateOptions = { maxNewTokens: 5, temperature: 1.3, topK: 0, topP: 0.95, greedy: false, seed: 9, stream: 2 };
    const prompts = [[BOS, 3, 4], [BOS], [BOS, 7]];
    const want = await generate(cpu, Transformer.init(cpu, config, 6), prompts, opts);
    const model = Transformer.init(gpu, config, 6);
    gpu.flush();
    const before = gpu.runtime.submitCount;
    const got = await generate(gpu, model, prompts, opts);
    expect(gpu.runtime.submitCount - before).toBe(1);
    for (let b = 0; b < prompts.length; b++) {
      expect(got[b].tokens).toEqual(want[b].tokens);
      assertClose('logprobs', got[b].logprobs, want[b].logprobs, { atol: 1e-4, rtol: 1e-3 });
      assertClose('entropies', got[b].entropies, want[b].entropies, { atol: 1e-4, rtol: 1e-3 });
    }
  });

  it('samples identically on wasm and cpu (batched, left-padded, KV cache)', async () => {
    const wasm = await wasmBackend();
    const cpu = createCpuBackend();
    const opts: GenerateOptions = { maxNewTokens: 8, temperature: 1.3, topK: 0, topP: 0.95, greedy: false, seed: 9, stream: 2 };
    const prompts = [[BOS, 3, 4], [BOS], [BOS, 7], [BOS, 9, 9, 2, 5]];
    const want = await generate(cpu, Transformer.init(cpu, config, 6), prompts, opts);
    const got = await generate(wasm, Transformer.init(wasm, config, 6), prompts, opts);
    for (let b = 0; b < prompts.length; b++) {
      expect(got[b].tokens).toEqual(want[b].tokens);
      assertClose('logprobs', got[b].logprobs, want[b].logprobs, { atol: 1e-4, rtol: 1e-3 });
      assertClose('entropies', got[b].entropies, want[b].entropies, { atol: 1e-4, rtol: 1e-3 });
    }
  });

  it('rejects prompts that do not fit the context', async () => {
    const be = createCpuBackend();
    const model = Transformer.init(be, config, 1);
    await expect(generate(be, model, [Array(14).fill(BOS)], greedy)).rejects.toThrow(/exceeds the model's context length 16/);
    await expect(generate(be, model, [[]], greedy)).rejects.toThrow(/at least one token/);
    const g = new Graph(be, false);
    const long = Array(17).fill(BOS);
    expect(() => model.forward(g, g.input(long, [1, 17], 'i32'), g.input(long.map((_, t) => t), [1, 17], 'i32'))).toThrow(
      /17 positions exceed the model's context length 16/,
    );
  });
});
