/** Policy model configuration: presets and validation with messages a person can act on. */
import type { ActivationKind } from '../engine/kernels';

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
  activation: ActivationKind;
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
  if (!['relu', 'silu', 'gelu'].includes(c.activation)) problems.push(`unknown activation ${String(c.activation)}`);
  if (!['mlp', 'gated'].includes(c.ffn)) problems.push(`unknown ffn kind ${String(c.ffn)}`);
  if (!(c.ropeTheta > 0)) problems.push(`ropeTheta must be positive (got ${c.ropeTheta})`);
  if (!(c.normEps > 0)) problems.push(`normEps must be positive (got ${c.normEps})`);
  return problems;
}

export function assertValidConfig(c: ModelConfig): void {
  const problems = configProblems(c);
  if (problems.length) throw new Error(`invalid model config: ${problems.join('; ')}`);
}
