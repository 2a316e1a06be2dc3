/**
 * ONNX export of a policy: `input_ids` int64 [batch, seq] → `logits` float32 [batch, seq, vocab], the
 * full-sequence forward of transformer.ts (positions 0..seq−1), MTA included. Stochastic activations are not
 * representable as a fixed graph: the export uses a deterministic inference activation (default RELU for
 * stochA, the paper's sparse inference mode; SILU/GELU/RELU models keep theirs).
 */
import type { Backend } from '../../engine/backend';
import { inferenceActivation, type FfnActivation, type ModelConfig } from '../config';

type ActivationKind = Exclude<FfnActivation, 'stochA'>;
import type { Transformer } from '../transformer';
import { GraphBuilder, valueInfo } from './graphBuilder';

export interface OnnxExportOptions {
  /** Activation baked into the graph (default: the model's inference activation, RELU for stochA and Swi+FT). */
  activation?: ActivationKind;
}

export const ONNX_INPUT = 'input_ids';
export const ONNX_OUTPUT = 'logits';

export async function exportOnnx(be: Backend, model: Transformer, opts: OnnxExportOptions = {}): Promise<Uint8Array> {
  const weights = new Map<string, Float32Array>();
  for (const p of model.params.values()) weights.set(p.name, (await be.read(p.value)) as Float32Array);
  const c = model.config;
  const activation: ActivationKind = opts.activation ?? inferenceActivation(c);
  return new PolicyGraph(c, weights, activation).build();
}

class PolicyGraph {
  private readonly g = new GraphBuilder();
  private readonly H: number;
  private readonly D: number;

  constructor(
    private readonly c: ModelConfig,
    private readonly w: Map<string, Float32Array>,
    private readonly activation: ActivationKind,
  ) {
    this.H = c.nHead;
    this.D = c.nEmbd / c.nHead;
  }

  private weight(name: string, dims: number[]): string {
    const data = this.w.get(name);
    if (!data) throw new Error(`onnx export: missing parameter ${name}`);
    return this.g.floats(name, dims, data);
  }

  /** x [.., in] · Wᵀ for a [out, in] weight: MatMul with the transposed initializer. */
  private linear(x: string, name: string, out: number, inp: number): string {
    const wt = this.g.op('Transpose', [this.weight(name, [out, inp])], { perm: [1, 0] });
    return this.g.op('MatMul', [x, wt]);
  }

  private rmsnorm(x: string, weight: string, eps: number): string {
    const g = this.g;
    const ms = g.op('ReduceMean', [g.op('Mul', [x, x])], { axes: [-1], keepdims: 1 });
    const inv = g.op('Reciprocal', [g.op('Sqrt', [g.op('Add', [ms, g.scalar(eps)])])]);
    return g.op('Mul', [g.op('Mul', [x, inv]), weight]);
  }

  private act(x: string): string {
    const g = this.g;
    if (this.activation === 'relu') return g.op('Relu', [x]);
    if (this.activation === 'silu') return g.op('Mul', [x, g.op('Sigmoid', [x])]);
    const cube = g.op('Mul', [g.op('Mul', [x, x]), x]);
    const inner = g.op('Mul', [g.op('Add', [x, g.op('Mul', [cube, g.scalar(0.044715)])]), g.scalar(Math.sqrt(2 / Math.PI))]);
    return g.op('Mul', [g.op('Mul', [x, g.scalar(0.5)]), g.op('Add', [g.op('Tanh', [inner]), g.scalar(1)])]);
  }

  /** Rotate pairs (2i, 2i+1) of x [B,T,H,D] by tables cos/sin [1,T,1,D/2]. */
  private rope(x: string, cos: string, sin: string): string {
    const g = this.g;
    const pairs = g.op('Reshape', [x, g.ints([0, 0, this.H, this.D / 2, 2])]);
    const x0 = g.op('Gather', [pairs, g.ints([0])], { axis: 4 });
    const x1 = g.op('Gather', [pairs, g.ints([1])], { axis: 4 });
    const c4 = g.op('Unsqueeze', [cos, g.ints([-1])]);
    const s4 = g.op('Unsqueeze', [sin, g.ints([-1])]);
    const y0 = g.op('Sub', [g.op('Mul', [x0, c4]), g.op('Mul', [x1, s4])]);
    const y1 = g.op('Add', [g.op('Mul', [x0, s4]), g.op('Mul', [x1, c4])]);
    return g.op('Reshape', [g.op('Concat', [y0, y1], { axis: 4 }), g.ints([0, 0, this.H, this.D])]);
  }

  /** Depthwise key-query convolution over [B,H,T,T]: past-only query padding, key padding per padKey. */
  private kqConv(m: string, name: string, cq: number, ck: number): string {
    const g = this.g;
    const padKey = this.c.mta!.padKey;
    const [left, right] = padKey === 'both' ? [(ck - 1) / 2, (ck - 1) / 2] : padKey === 'left' ? [ck - 1, 0] : [0, ck - 1];
    const padded = g.op('Pad', [m, g.ints([0, 0, cq - 1, left, 0, 0, 0, right])]);
    return g.op('Conv', [padded, this.weight(name, [this.H, 1, cq, ck])], { group: this.H, kernel_shape: [cq, ck] });
  }

  /** Mix heads of [B,H,T,T] with an [H,H] matrix M: out[h] = Σ_h' M[h,h'] x[h']. */
  private mixHeads(m: string, matrix: string): string {
    const g = this.g;
    const moved = g.op('Transpose', [m], { perm: [0, 2, 3, 1] });
    const mixed = g.op('MatMul', [moved, g.op('Transpose', [matrix], { perm: [1, 0] })]);
    return g.op('Transpose', [mixed], { perm: [0, 3, 1, 2] });
  }

  /** Grouped post-softmax mixing as an [H,H] block-diagonal matrix from head_kernel [H/c, c, c] (K_g[in, out]). */
  private groupedMatrix(name: string, group: number): string {
    const k = this.w.get(name)!;
    const H = this.H;
    const m = new Float32Array(H * H);
    for (let gi = 0; gi < H / group; gi++) {
      for (let i = 0; i < group; i++) for (let o = 0; o < group; o++) m[(gi * group + o) * H + gi * group + i] = k[(gi * group + i) * group + o];
    }
    return this.g.floats(`${name}.as_matrix`, [H, H], m);
  }

  private attention(l: number, h: string, tables: { cos: string; sin: string; keep: string; negInf: string }): string {
    const g = this.g;
    const c = this.c;
    const C = c.nEmbd;
    const p = `layers.${l}.attn`;
    const heads = (x: string) => g.op('Reshape', [x, g.ints([0, 0, this.H, this.D])]);
    const q = g.op('Transpose', [this.rope(heads(this.linear(h, `${p}.wq.weight`, C, C)), tables.cos, tables.sin)], { perm: [0, 2, 1, 3] });
    const kT = g.op('Transpose', [this.rope(heads(this.linear(h, `${p}.wk.weight`, C, C)), tables.cos, tables.sin)], { perm: [0, 2, 3, 1] });
    const v = g.op('Transpose', [heads(this.linear(h, `${p}.wv.weight`, C, C))], { perm: [0, 2, 1, 3] });
    let scores = g.op('Mul', [g.op('MatMul', [q, kT]), g.scalar(1 / Math.sqrt(this.D))]);
    const mta = c.mta;
    const convLayer = mta !== null && (mta.layers.length === 0 || mta.layers.includes(l));
    const mixing = mta !== null && (mta.headMixPre || mta.headMixPost !== 'none');
    if (convLayer && mta.preConv) scores = this.kqConv(g.op('Mul', [scores, tables.keep]), `${p}.mta.kq_pre`, mta.preConv.cq, mta.preConv.ck);
    if (mixing && mta.headMixPre) scores = this.mixHeads(scores, this.weight(`${p}.mta.head_mix_pre`, [this.H, this.H]));
    let probs = g.op('Softmax', [g.op('Add', [g.op('Mul', [scores, tables.keep]), tables.negInf])], { axis: -1 });
    if (convLayer && mta.postConv) {
      probs = g.op('Mul', [this.kqConv(probs, `${p}.mta.kq_post`, mta.postConv.cq, mta.postConv.ck), tables.keep]);
    }
    if (mixing && mta.headMixPost === 'linear') probs = this.mixHeads(probs, this.weight(`${p}.mta.head_mix_post`, [this.H, this.H]));
    else if (mixing && typeof mta.headMixPost === 'number') probs = this.mixHeads(probs, this.groupedMatrix(`${p}.mta.head_mix_post`, mta.headMixPost));
    let out = g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: [0, 2, 1, 3] });
    if ((convLayer || mixing) && mta.groupNorm) {
      out = this.rmsnorm(out, this.weight(`${p}.mta.group_norm.weight`, [this.D]), 1e-5);
      if (mta.depthScale) out = g.op('Mul', [out, g.scalar(1 - (0.8 - 0.6 * Math.exp(-0.3 * l)))]);
    }
    if ((convLayer || mixing) && mta.gate !== 'none') {
      const width = mta.gate === '1d' ? 1 : this.D;
      const logit = g.op('Add', [this.linear(out, `${p}.mta.gate.weight`, width, this.D), this.weight(`${p}.mta.gate.bias`, [width])]);
      out = g.op('Mul', [out, g.op('Sigmoid', [logit])]);
    }
    return this.linear(g.op('Reshape', [out, g.ints([0, 0, C])]), `${p}.wo.weight`, C, C);
  }

  /** cos/sin [1,T,1,D/2] and the causal keep (1/0) and additive (0/−1e9) masks [T,T], sliced to the input length. */
  private tables(T: string) {
    const g = this.g;
    const ctx = this.c.contextLength;
    const half = this.D / 2;
    const cos = new Float32Array(ctx * half), sin = new Float32Array(ctx * half);
    for (let t = 0; t < ctx; t++) {
      for (let i = 0; i < half; i++) {
        const angle = t * this.c.ropeTheta ** ((-2 * i) / this.D);
        cos[t * half + i] = Math.cos(angle);
        sin[t * half + i] = Math.sin(angle);
      }
    }
    const keep = new Float32Array(ctx * ctx), negInf = new Float32Array(ctx * ctx);
    for (let i = 0; i < ctx; i++) for (let j = 0; j < ctx; j++) [keep[i * ctx + j], negInf[i * ctx + j]] = j <= i ? [1, 0] : [0, -1e9];
    const zero = g.ints([0]);
    const rows = (name: string, data: Float32Array, width: number) =>
      g.op('Slice', [g.floats(name, [ctx, width], data), zero, T, zero]);
    const square = (name: string, data: Float32Array) => {
      const zz = g.ints([0, 0]);
      const TT = g.op('Concat', [T, T], { axis: 0 });
      return g.op('Slice', [g.floats(name, [ctx, ctx], data), zz, TT, g.ints([0, 1])]);
    };
    const expand = (x: string) => g.op('Unsqueeze', [x, g.ints([0, 2])]);
    return {
      cos: expand(rows('rope.cos', cos, half)),
      sin: expand(rows('rope.sin', sin, half)),
      keep: square('mask.keep', keep),
      negInf: square('mask.neg_inf', negInf),
    };
  }

  build(): Uint8Array {
    const g = this.g;
    const c = this.c;
    const T = g.op('Gather', [g.op('Shape', [ONNX_INPUT]), g.ints([1])], { axis: 0 });
    const tables = this.tables(T);
    const embed = this.weight('embed.weight', [c.vocabSize, c.nEmbd]);
    let x = g.op('Gather', [embed, ONNX_INPUT], { axis: 0 });
    for (let l = 0; l < c.nLayer; l++) {
      const p = `layers.${l}`;
      const h = this.rmsnorm(x, this.weight(`${p}.attn_norm.weight`, [c.nEmbd]), c.normEps);
      x = g.op('Add', [x, this.attention(l, h, tables)]);
      const f = this.rmsnorm(x, this.weight(`${p}.ffn_norm.weight`, [c.nEmbd]), c.normEps);
      let hidden = this.act(this.linear(f, `${p}.ffn.w1.weight`, c.ffnHidden, c.nEmbd));
      if (c.ffn === 'gated') hidden = g.op('Mul', [hidden, this.linear(f, `${p}.ffn.w3.weight`, c.ffnHidden, c.nEmbd)]);
      x = g.op('Add', [x, this.linear(hidden, `${p}.ffn.w2.weight`, c.nEmbd, c.ffnHidden)]);
    }
    const n = this.rmsnorm(x, this.weight('norm.weight', [c.nEmbd]), c.normEps);
    const head = c.tiedEmbeddings ? embed : this.weight('lm_head.weight', [c.vocabSize, c.nEmbd]);
    g.op('MatMul', [n, g.op('Transpose', [head], { perm: [1, 0] })], {}, ONNX_OUTPUT);
    return g.encode({
      name: 'grpo_playground_policy',
      docString: `GRPO Playground policy (${c.nLayer} layers, ${c.nHead} heads, width ${c.nEmbd}, activation ${this.activation}); input_ids int64 [batch, seq] with positions 0..seq-1 → logits [batch, seq, vocab].`,
      inputs: [valueInfo(ONNX_INPUT, 'int64', ['batch', 'seq'])],
      outputs: [valueInfo(ONNX_OUTPUT, 'float', ['batch', 'seq', c.vocabSize])],
    });
  }
}
