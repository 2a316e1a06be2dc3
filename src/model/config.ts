/** Policy model configuration: presets and validation with messages a person can act on. */
import * as z from 'zod';
import type { ActivationKind } from '../engine/kernels';
import { flag, intIn, numIn, oneOf, options, problemsOf, show, whenValid } from './validation';

/** Multi-Token Attention (docs/methods.md §1): which parts are on. Convolutions and head mixing start as identities (group norm and gate do not). */
export interface MtaConfig {
  /** 0-based layers that get the key-query convolution; empty = every layer. */
  layers: number[];
  /** Pre-softmax key-query convolution kernel size (c_q rows × c_k keys), or null for none. */
  preConv: { cq: number; ck: number } | null;
  /** Post-softmax key-query convolution, or null. */
  postConv: { cq: number; ck: number } | null;
  /** Key-axis padding of the convolution; 'both' needs odd c_k. */
  padKey: 'both' | 'left' | 'right';
  /** Full H×H head mixing of the logits before the softmax. */
  headMixPre: boolean;
  /** Head mixing of the probabilities: none, full H×H ('linear'), or grouped with this group size c_h. */
  headMixPost: 'none' | 'linear' | number;
  /** Per-head RMSNorm of the attention output (shared weight of size D). */
  groupNorm: boolean;
  /** Scale the normalised output by 1 − λ(l), λ(l) = 0.8 − 0.6·exp(−0.3·l). */
  depthScale: boolean;
  /** Sigmoid gate on the attention output: one scalar per head ('1d') or per channel ('full'). */
  gate: 'none' | '1d' | 'full';
}

/** FFN activation: fixed, or stochA(p) = SILU with probability p, else RELU (docs/methods.md §2.1). */
export type FfnActivation = Exclude<ActivationKind, 'sigmoid'> | 'stochA';

export interface ModelConfig {
  vocabSize: number;
  /** Longest sequence (prompt + completion) the model is used with. */
  contextLength: number;
  nLayer: number;
  nHead: number;
  /** Width C; must be divisible by nHead, and C/nHead must be even (RoPE rotates pairs). */
  nEmbd: number;
  /** Hidden width of the FFN. */
  ffnHidden: number;
  /** 'mlp': w2·act(w1·x); 'gated': w2·(act(w1·x) ⊙ w3·x). */
  ffn: 'mlp' | 'gated';
  activation: FfnActivation;
  /** stochA: probability of SILU for an element (where the region applies). */
  stochP: number;
  /** stochA: draw only where x < 0 (for x ≥ 0 both branches equal x) or everywhere. */
  stochRegion: 'negOnly' | 'all';
  /** stochA: one draw per element (default), per token, or per layer and sequence. */
  stochGranularity: 'element' | 'token' | 'layer';
  /**
   * Swi+FT: train with the configured activation, then RELU for this final fraction of training steps
   * (0 = off). Trainers apply it; inference picks its activation separately.
   */
  swiFtFraction: number;
  /** Multi-Token Attention, or null for plain attention. */
  mta: MtaConfig | null;
  /** Share the embedding matrix with the LM head. */
  tiedEmbeddings: boolean;
  ropeTheta: number;
  normEps: number;
}

export type PresetName = 'tiny' | 'small' | 'medium';

const SIZES: Record<PresetName, Pick<ModelConfig, 'nEmbd' | 'nLayer' | 'nHead'>> = {
  tiny: { nEmbd: 32, nLayer: 2, nHead: 2 },
  small: { nEmbd: 128, nLayer: 4, nHead: 4 },
  medium: { nEmbd: 256, nLayer: 6, nHead: 8 },
};

export function presetConfig(preset: PresetName, vocabSize: number, overrides: Partial<ModelConfig> = {}): ModelConfig {
  const size = SIZES[preset];
  return {
    vocabSize,
    contextLength: 256,
    ffnHidden: 4 * size.nEmbd,
    ffn: 'mlp',
    activation: 'silu',
    stochP: 0.5,
    stochRegion: 'negOnly',
    stochGranularity: 'element',
    swiFtFraction: 0,
    mta: null,
    tiedEmbeddings: false,
    ropeTheta: 10000,
    normEps: 1e-5,
    ...size,
    ...overrides,
  };
}

/**
 * Size bounds of a model: generous for a browser toy (twice the medium preset's width and depth), small enough
 * that a hostile link cannot ask for gigabytes. The resource guard judges what fits a given device.
 */
export const MODEL_LIMITS = {
  vocabSize: 512,
  contextLength: 1024,
  nLayer: 12,
  nHead: 32,
  nEmbd: 512,
  ffnHidden: 2048,
  /** MTA convolution kernel rows (c_q) and keys (c_k). */
  kernel: 16,
} as const;

const positiveInt = (max: number) => intIn(1, max);

function kernelSchema(which: 'pre' | 'post') {
  const size = intIn(1, MODEL_LIMITS.kernel, (v) => `MTA ${which}-softmax kernel sizes must be integers in [1, ${MODEL_LIMITS.kernel}] (got ${show(v)})`);
  return options({ cq: size, ck: size }, `null or an object {cq, ck} of kernel sizes`).nullable();
}

/** MTA settings on their own; rules that need the layer and head counts are in modelRules. */
export const MtaSchema = options(
  {
    layers: z
      .array(intIn(0, MODEL_LIMITS.nLayer - 1, (v) => `MTA layers must be 0-based layer numbers (got ${show(v)})`), {
        error: (iss) => `MTA layers must be a list of 0-based layer numbers (got ${show(iss.input)})`,
      })
      .max(MODEL_LIMITS.nLayer, { error: `MTA layers may list at most ${MODEL_LIMITS.nLayer} layers` }),
    preConv: kernelSchema('pre'),
    postConv: kernelSchema('post'),
    padKey: oneOf(['both', 'left', 'right'], (v) => `MTA key padding must be both, left or right (got ${show(v)})`),
    headMixPre: flag((v) => `MTA headMixPre must be true or false (got ${show(v)})`),
    headMixPost: z.union([z.literal(['none', 'linear']), intIn(1, MODEL_LIMITS.nHead)], {
      error: (iss) => `MTA post-softmax head mixing must be none, linear or a group size (got ${show(iss.input)})`,
    }),
    groupNorm: flag((v) => `MTA groupNorm must be true or false (got ${show(v)})`),
    depthScale: flag((v) => `MTA depthScale must be true or false (got ${show(v)})`),
    gate: oneOf(['none', '1d', 'full'], (v) => `MTA output gate must be none, 1d or full (got ${show(v)})`),
  },
  'null (off) or an object of MTA settings',
).check((ctx) => {
  const m = ctx.value;
  for (const key of ['preConv', 'postConv'] as const) {
    const k = m[key];
    if (k && m.padKey === 'both' && k.ck % 2 === 0) {
      ctx.issues.push({ code: 'custom', input: k.ck, path: [key, 'ck'], message: `MTA ${key === 'preConv' ? 'pre' : 'post'}-softmax key kernel size ${k.ck} must be odd with padding 'both'` });
    }
  }
  // The depth scale multiplies the group-normed output; without group norm it would silently do nothing.
  if (m.depthScale && !m.groupNorm) ctx.issues.push({ code: 'custom', input: m, path: ['depthScale'], message: 'MTA depth scaling rescales the group norm output, so it needs group norm on' });
});

/** Every setting of a model with its type and range; cross-field rules are in modelRules. */
export const modelFields = {
  vocabSize: positiveInt(MODEL_LIMITS.vocabSize),
  contextLength: positiveInt(MODEL_LIMITS.contextLength),
  nLayer: positiveInt(MODEL_LIMITS.nLayer),
  nHead: positiveInt(MODEL_LIMITS.nHead),
  nEmbd: positiveInt(MODEL_LIMITS.nEmbd),
  ffnHidden: positiveInt(MODEL_LIMITS.ffnHidden),
  ffn: oneOf(['mlp', 'gated'], (v) => `unknown ffn kind ${show(v)} (mlp or gated)`),
  activation: oneOf(['relu', 'silu', 'gelu', 'stochA'], (v) => `unknown activation ${show(v)} (relu, silu, gelu or stochA)`),
  stochP: numIn(0, 1, {}, (v) => `stochA p must be in [0, 1] (got ${show(v)})`),
  stochRegion: oneOf(['negOnly', 'all'], (v) => `unknown stochA region ${show(v)} (negOnly or all)`),
  stochGranularity: oneOf(['element', 'token', 'layer'], (v) => `unknown stochA granularity ${show(v)} (element, token or layer)`),
  swiFtFraction: numIn(0, 1, { max: true }, (v) => `Swi+FT fraction must be in [0, 1) (got ${show(v)})`),
  mta: MtaSchema.nullable(),
  tiedEmbeddings: flag(),
  ropeTheta: numIn(0, 1e7, { min: true }),
  normEps: numIn(0, 0.1, { min: true }),
};

/** Rules across fields of a complete model config: head sizes, and MTA layers and groups that must exist. */
export function modelRules(c: ModelConfig): Array<{ path: string[]; message: string }> {
  const out: Array<{ path: string[]; message: string }> = [];
  if (c.nEmbd % c.nHead !== 0) out.push({ path: ['nHead'], message: `heads (${c.nHead}) must divide the width (${c.nEmbd})` });
  else if ((c.nEmbd / c.nHead) % 2 !== 0) out.push({ path: ['nHead'], message: `head size ${c.nEmbd / c.nHead} must be even for rotary embeddings` });
  const m = c.mta;
  if (!m) return out;
  const missing = m.layers.filter((l) => l >= c.nLayer);
  if (missing.length) out.push({ path: ['mta', 'layers'], message: `MTA layers ${missing.join(', ')} do not exist (the model has ${c.nLayer} layers)` });
  if (typeof m.headMixPost === 'number' && c.nHead % m.headMixPost !== 0) {
    out.push({ path: ['mta', 'headMixPost'], message: `MTA post-softmax head group size ${m.headMixPost} must divide the number of heads (${c.nHead})` });
  }
  return out;
}

export const ModelConfigSchema = options(modelFields, 'an object of model settings').check(
  z.superRefine(
    (c, ctx) => {
      for (const { path, message } of modelRules(c as ModelConfig)) ctx.addIssue({ code: 'custom', path, message });
    },
    { when: whenValid('nEmbd', 'nHead', 'nLayer', 'mta') },
  ),
);

/** Every problem with a config, phrased for the person who set it (empty when valid). */
export function configProblems(c: ModelConfig): string[] {
  return problemsOf(ModelConfigSchema.safeParse(c));
}

export function assertValidConfig(c: ModelConfig): void {
  const problems = configProblems(c);
  if (problems.length) throw new Error(`invalid model config: ${problems.join('; ')}`);
}

/** The default MTA of the playground: pre-softmax convolution in every layer, as in the paper's toy task. */
export function defaultMta(overrides: Partial<MtaConfig> = {}): MtaConfig {
  return {
    layers: [],
    preConv: { cq: 2, ck: 3 },
    postConv: null,
    padKey: 'both',
    headMixPre: false,
    headMixPost: 'none',
    groupNorm: false,
    depthScale: false,
    gate: 'none',
    ...overrides,
  };
}

/** The first (0-based) step of `total` that Swi+FT runs with RELU, or null when Swi+FT is off. */
export function swiFtSwitchStep(c: Pick<ModelConfig, 'swiFtFraction'>, total: number): number | null {
  return c.swiFtFraction > 0 ? Math.ceil((1 - c.swiFtFraction) * total) : null;
}

/** The FFN activation a trainer uses at step `step` of `total`: RELU for the final Swi+FT fraction, else the config's. */
export function scheduledActivation(c: ModelConfig, step: number, total: number): FfnActivation {
  const from = swiFtSwitchStep(c, total);
  return from !== null && step >= from ? 'relu' : c.activation;
}

/**
 * The activation a trained model runs with outside training (ONNX export, its check): RELU for stochA and for
 * Swi+FT (both are trained for RELU inference, docs/methods.md §2.3), else the configured one.
 */
export function inferenceActivation(c: ModelConfig): Exclude<FfnActivation, 'stochA'> {
  return c.activation === 'stochA' || c.swiFtFraction > 0 ? 'relu' : c.activation;
}
