/** Policy model configuration: presets and validation with messages a person can act on. */
import type { ActivationKind } from '../engine/kernels';

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

/** Every problem with a config, phrased for the person who set it (empty when valid). */
export function configProblems(c: ModelConfig): string[] {
  const problems: string[] = [];
  const positiveInts: Array<keyof ModelConfig> = ['vocabSize', 'contextLength', 'nLayer', 'nHead', 'nEmbd', 'ffnHidden'];
  for (const k of positiveInts) {
    const v = c[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) problems.push(`${k} must be a positive integer (got ${String(v)})`);
  }
  if (problems.length) return problems;
  if (c.nEmbd % c.nHead !== 0) problems.push(`heads (${c.nHead}) must divide the width (${c.nEmbd})`);
  else if ((c.nEmbd / c.nHead) % 2 !== 0) problems.push(`head size ${c.nEmbd / c.nHead} must be even for rotary embeddings`);
  if (!['relu', 'silu', 'gelu', 'stochA'].includes(c.activation)) problems.push(`unknown activation ${String(c.activation)}`);
  if (!(c.stochP >= 0 && c.stochP <= 1)) problems.push(`stochA p must be in [0, 1] (got ${c.stochP})`);
  if (!['negOnly', 'all'].includes(c.stochRegion)) problems.push(`unknown stochA region ${String(c.stochRegion)} (negOnly or all)`);
  if (!['element', 'token', 'layer'].includes(c.stochGranularity)) problems.push(`unknown stochA granularity ${String(c.stochGranularity)}`);
  if (!(c.swiFtFraction >= 0 && c.swiFtFraction < 1)) problems.push(`Swi+FT fraction must be in [0, 1) (got ${c.swiFtFraction})`);
  if (c.mta) problems.push(...mtaProblems(c.mta, c));
  if (!['mlp', 'gated'].includes(c.ffn)) problems.push(`unknown ffn kind ${String(c.ffn)}`);
  if (!(c.ropeTheta > 0)) problems.push(`ropeTheta must be positive (got ${c.ropeTheta})`);
  if (!(c.normEps > 0)) problems.push(`normEps must be positive (got ${c.normEps})`);
  return problems;
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

function mtaProblems(m: MtaConfig, c: ModelConfig): string[] {
  // Links and config files are hand-editable, so check the shape too: a missing field would otherwise crash here.
  if (typeof m !== 'object' || Array.isArray(m)) return [`MTA must be null (off) or an object of MTA settings (got ${JSON.stringify(m)})`];
  const problems: string[] = [];
  if (!['both', 'left', 'right'].includes(m.padKey)) problems.push(`MTA key padding must be both, left or right (got ${String(m.padKey)})`);
  for (const [which, k] of [['pre', m.preConv], ['post', m.postConv]] as const) {
    if (!k) continue;
    if (!(Number.isInteger(k.cq) && k.cq >= 1 && Number.isInteger(k.ck) && k.ck >= 1)) {
      problems.push(`MTA ${which}-softmax kernel sizes must be positive integers (got ${k.cq}×${k.ck})`);
    } else if (m.padKey === 'both' && k.ck % 2 === 0) {
      problems.push(`MTA ${which}-softmax key kernel size ${k.ck} must be odd with padding 'both'`);
    }
  }
  if (!Array.isArray(m.layers)) problems.push(`MTA layers must be a list of 0-based layer numbers (got ${JSON.stringify(m.layers)})`);
  else {
    const bad = m.layers.filter((l) => !Number.isInteger(l) || l < 0 || l >= c.nLayer);
    if (bad.length) problems.push(`MTA layers ${bad.join(', ')} do not exist (the model has ${c.nLayer} layers)`);
  }
  for (const k of ['headMixPre', 'groupNorm', 'depthScale'] as const) {
    if (typeof m[k] !== 'boolean') problems.push(`MTA ${k} must be true or false (got ${String(m[k])})`);
  }
  if (typeof m.headMixPost === 'number') {
    if (!Number.isInteger(m.headMixPost) || m.headMixPost < 1 || c.nHead % m.headMixPost !== 0) {
      problems.push(`MTA post-softmax head group size ${m.headMixPost} must divide the number of heads (${c.nHead})`);
    }
  } else if (m.headMixPost !== 'none' && m.headMixPost !== 'linear') {
    problems.push(`MTA post-softmax head mixing must be none, linear or a group size (got ${String(m.headMixPost)})`);
  }
  // The depth scale multiplies the group-normed output; without group norm it would silently do nothing.
  if (m.depthScale === true && m.groupNorm !== true) problems.push('MTA depth scaling rescales the group norm output, so it needs group norm on');
  if (!['none', '1d', 'full'].includes(m.gate)) problems.push(`MTA output gate must be none, 1d or full (got ${String(m.gate)})`);
  return problems;
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
