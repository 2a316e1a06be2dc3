/**
 * The policy: a pre-norm decoder transformer on the engine's ops.
 *   x = embed(ids)
 *   per layer: x += Wo·attention(RoPE(Wq·n), RoPE(Wk·n), Wv·n) with n = RMSNorm(x), plain or MTA (attentionBlock.ts)
 *              x += FFN(RMSNorm(x))
 *   logits = head(RMSNorm(x))
 * Shapes: ids i32 [B,T]; activations [B·T, C]; q/k/v viewed as [B,T,H,D]; logits [B·T, V].
 */
import type { Graph } from '../engine/autograd';
import type { Backend } from '../engine/backend';
import type { OptimParam } from '../engine/optim';
import { rope } from '../engine/ops/attention';
import { add, mul } from '../engine/ops/elementwise';
import { activation, embedding, rmsnorm, stochActivation } from '../engine/ops/layers';
import { linear } from '../engine/ops/matmul';
import type { Tensor } from '../engine/tensor';
import { attentionBlock, extraQueryRows, type KvCache } from './attentionBlock';
import { assertValidConfig, type FfnActivation, type ModelConfig } from './config';
import { initParams, type Param } from './params';

export type { KvCache };

export interface ForwardOptions {
  /** Decode incrementally against this cache (inference only). */
  cache?: KvCache;
  /** FFN activation for this pass, overriding the config (inference mode, or the Swi+FT switch). */
  activation?: FfnActivation;
  /** i32 [B]: per-sequence seeds of the stochastic-activation draws (stochA only; default all 0). */
  actSeeds?: Tensor;
}

export interface ForwardResult {
  /** [B·T, V] */
  logits: Tensor;
  /** Attention probabilities per layer, [B,H,T,T] each (for the model inspector). */
  attention: Tensor[];
  /** FFN hidden activations per layer, [B·T, ffnHidden] after the activation (for the sparsity readout). */
  ffnHidden: Tensor[];
}

export class Transformer {
  private constructor(
    readonly config: ModelConfig,
    readonly params: Map<string, Param>,
  ) {}

  static init(be: Backend, config: ModelConfig, seed: number): Transformer {
    assertValidConfig(config);
    return new Transformer(config, initParams(be, config, seed));
  }

  /** Wrap parameters that were loaded elsewhere (checkpoint.ts checks names and shapes). */
  static fromParams(config: ModelConfig, params: Map<string, Param>): Transformer {
    assertValidConfig(config);
    return new Transformer(config, params);
  }

  /** Register every parameter (with its gradient buffer) on a graph; returns name → tensor. */
  private bind(g: Graph): (name: string) => Tensor {
    return (name) => {
      const p = this.params.get(name);
      if (!p) throw new Error(`transformer: no parameter ${name}`);
      return g.param(p.value, p.grad);
    };
  }

  /** Allocate an empty KV cache for B sequences of up to maxLen positions. */
  createCache(be: Backend, batch: number, maxLen: number, keyStart?: Tensor): KvCache {
    const c = this.config;
    const shape = [batch, maxLen, c.nHead, c.nEmbd / c.nHead];
    const layers = Array.from({ length: c.nLayer }, (_, l) => l);
    return {
      k: layers.map((l) => be.zeros(shape, 'f32', `cache.k${l}`)),
      v: layers.map((l) => be.zeros(shape, 'f32', `cache.v${l}`)),
      q: layers.map((l) => (extraQueryRows(c, l) > 0 ? be.zeros(shape, 'f32', `cache.q${l}`) : null)),
      offset: 0,
      keyStart,
    };
  }

  /**
   * Forward over ids i32 [B,T] at positions i32 [B,T]. Without a cache this is the full-sequence (training)
   * forward; with one, the new keys/values are appended to it and the queries attend over everything cached.
   * The caller advances cache.offset by T afterwards.
   */
  forward(g: Graph, ids: Tensor, positions: Tensor, opts: ForwardOptions = {}): ForwardResult {
    const c = this.config;
    const { cache } = opts;
    const act = opts.activation ?? c.activation;
    const [B, T] = ids.shape;
    const H = c.nHead, D = c.nEmbd / c.nHead;
    // Exported graphs (ONNX) and the app's limits are sized by contextLength; refuse longer sequences here too.
    const end = (cache?.offset ?? 0) + T;
    if (end > c.contextLength) throw new Error(`transformer: ${end} positions exceed the model's context length ${c.contextLength}`);
    const w = this.bind(g);
    let x = embedding(g, g.view(ids, [B * T]), w('embed.weight'));
    const maps: Tensor[] = [];
    const ffnHidden: Tensor[] = [];
    for (let l = 0; l < c.nLayer; l++) {
      const p = `layers.${l}`;
      const h = rmsnorm(g, x, w(`${p}.attn_norm.weight`), c.normEps);
      const heads = (t: Tensor) => g.view(t, [B, T, H, D]);
      const q = rope(g, heads(linear(g, h, w(`${p}.attn.wq.weight`))), positions, c.ropeTheta);
      const k = rope(g, heads(linear(g, h, w(`${p}.attn.wk.weight`))), positions, c.ropeTheta);
      const v = heads(linear(g, h, w(`${p}.attn.wv.weight`)));
      const att = attentionBlock(g, c, l, w, { q, k, v }, cache);
      maps.push(att.probs);
      x = add(g, x, linear(g, att.out, w(`${p}.attn.wo.weight`)));
      const f = rmsnorm(g, x, w(`${p}.ffn_norm.weight`), c.normEps);
      const pre = linear(g, f, w(`${p}.ffn.w1.weight`));
      let hidden =
        act === 'stochA'
          ? stochActivation(g, pre, opts.actSeeds ?? g.input(new Int32Array(B), [B], 'i32'), positions, {
              p: c.stochP,
              region: c.stochRegion,
              stream: l,
              granularity: c.stochGranularity,
            })
          : activation(g, pre, act);
      ffnHidden.push(hidden);
      if (c.ffn === 'gated') hidden = mul(g, hidden, linear(g, f, w(`${p}.ffn.w3.weight`)));
      x = add(g, x, linear(g, hidden, w(`${p}.ffn.w2.weight`)));
    }
    const n = rmsnorm(g, x, w('norm.weight'), c.normEps);
    const logits = linear(g, n, w(c.tiedEmbeddings ? 'embed.weight' : 'lm_head.weight'));
    return { logits, attention: maps, ffnHidden };
  }

  /** Zero every parameter gradient (once per optimizer step, before backward). */
  zeroGrads(be: Backend): void {
    for (const p of this.params.values()) be.zero(p.grad);
  }

  /** Every parameter with its gradient and weight-decay flag, as the optimizer takes them. */
  optimizerParams(): OptimParam[] {
    return [...this.params.values()].map((p) => ({ name: p.name, param: p.value, grad: p.grad, decay: p.decay }));
  }

  /** A copy of the current parameters on the device, with its own (unused) gradients: a frozen reference or generator. */
  frozenCopy(be: Backend, label = 'ref'): Transformer {
    const params = new Map(
      [...this.params].map(([name, p]) => {
        const value = be.zeros(p.value.shape, 'f32', `${label}.${name}`);
        be.copy(p.value, value);
        return [name, { ...p, value, grad: be.zeros(p.value.shape, 'f32', `${label}.grad.${name}`) }];
      }),
    );
    return new Transformer(this.config, params);
  }

  /** Overwrite this model's parameters with another's of the same config (a generator or reference sync). */
  copyFrom(be: Backend, source: Transformer): void {
    for (const [name, p] of this.params) be.copy(source.params.get(name)!.value, p.value);
  }
}
