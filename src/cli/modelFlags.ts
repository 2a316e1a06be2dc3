/** Model-shape flags shared by `init` and `sft`: --preset, --act, --mta, --ffn, --tied. */
import { defaultMta, MODEL_LIMITS, presetConfig, type FfnActivation, type ModelConfig, type MtaConfig, type PresetName } from '../model/config';
import type { Flags } from './args';
import { UsageError } from './args';

export function modelConfigFrom(flags: Flags, vocabSize: number): ModelConfig {
  const preset = flags.choice('preset', ['tiny', 'small', 'medium'] as const, 'tiny') as PresetName;
  const overrides: Partial<ModelConfig> = {};
  const act = flags.optional('act');
  if (act !== undefined) {
    const m = /^(relu|silu|gelu)$|^stochA(?::([0-9.]+))?$/.exec(act);
    if (!m) throw new UsageError(`--act must be relu, silu, gelu or stochA[:p], got "${act}"`);
    overrides.activation = (m[1] ?? 'stochA') as FfnActivation;
    if (m[2] !== undefined) overrides.stochP = Number(m[2]);
  }
  const mta = flags.optional('mta');
  if (mta !== undefined && mta !== 'off') {
    let custom: Partial<MtaConfig> = {};
    if (mta !== 'on') {
      try {
        custom = JSON.parse(mta) as Partial<MtaConfig>;
      } catch {
        throw new UsageError(`--mta must be on, off or a JSON object of MTA settings, got "${mta}"`);
      }
    }
    overrides.mta = defaultMta(custom);
  }
  const ffn = flags.optional('ffn');
  if (ffn !== undefined) overrides.ffn = flags.choice('ffn', ['mlp', 'gated'] as const);
  if (flags.optional('tied') !== undefined) overrides.tiedEmbeddings = flags.choice('tied', ['yes', 'no'] as const) === 'yes';
  overrides.contextLength = flags.number('context', 256, { int: true, min: 8, max: MODEL_LIMITS.contextLength });
  return presetConfig(preset, vocabSize, overrides);
}
