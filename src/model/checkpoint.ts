/**
 * Checkpoint = config.json (model config + tokenizer alphabet) + model.safetensors (float32 parameters under
 * the names of params.ts). Format documented in docs/checkpoint.md; readable by scripts/reference_model.py.
 */
import type { Backend } from '../engine/backend';
import { assertValidConfig, presetConfig, type ModelConfig } from './config';
import { decays, parameterShapes, type Param } from './params';
import { readSafetensors, writeSafetensors, type NamedArray } from './safetensors';
import { CharTokenizer } from './tokenizer';
import { Transformer } from './transformer';

export const CHECKPOINT_FORMAT = 'grpo-playground/checkpoint@1';

export interface CheckpointConfig {
  format: typeof CHECKPOINT_FORMAT;
  model: ModelConfig;
  /** Tokenizer alphabet (ids 0..2 are PAD/BOS/EOS, then these characters). */
  alphabet: string;
}

export interface CheckpointFiles {
  configJson: string;
  weights: Uint8Array;
}

export async function saveCheckpoint(be: Backend, model: Transformer, tokenizer: CharTokenizer): Promise<CheckpointFiles> {
  const tensors = new Map<string, NamedArray>();
  for (const p of model.params.values()) {
    tensors.set(p.name, { shape: [...p.value.shape], data: (await be.read(p.value)) as Float32Array });
  }
  const config: CheckpointConfig = { format: CHECKPOINT_FORMAT, model: model.config, alphabet: tokenizer.alphabet };
  return { configJson: JSON.stringify(config, null, 2), weights: writeSafetensors(tensors, { format: CHECKPOINT_FORMAT }) };
}

export function parseCheckpointConfig(configJson: string): CheckpointConfig {
  let parsed: Partial<CheckpointConfig>;
  try {
    parsed = JSON.parse(configJson) as Partial<CheckpointConfig>;
  } catch (e) {
    throw new Error(`checkpoint config.json is not valid JSON (${(e as Error).message})`);
  }
  if (parsed.format !== CHECKPOINT_FORMAT) {
    throw new Error(`checkpoint config.json has format ${JSON.stringify(parsed.format)}, expected ${CHECKPOINT_FORMAT}`);
  }
  if (typeof parsed.alphabet !== 'string') throw new Error('checkpoint config.json has no tokenizer alphabet');
  if (typeof parsed.model !== 'object' || parsed.model === null) throw new Error('checkpoint config.json has no model config');
  // Settings added after a checkpoint was written take their defaults (they change nothing the file describes).
  const model = { ...presetConfig('tiny', parsed.model.vocabSize), ...parsed.model };
  assertValidConfig(model);
  return { ...(parsed as CheckpointConfig), model };
}

/** Load a checkpoint onto a backend; names and shapes must match the config exactly. */
export function loadCheckpoint(be: Backend, files: CheckpointFiles): { model: Transformer; tokenizer: CharTokenizer } {
  const config = parseCheckpointConfig(files.configJson);
  const tokenizer = new CharTokenizer(config.alphabet);
  if (tokenizer.vocabSize !== config.model.vocabSize) {
    throw new Error(`checkpoint: alphabet gives ${tokenizer.vocabSize} tokens but the model has vocabSize ${config.model.vocabSize}`);
  }
  const { tensors } = readSafetensors(files.weights);
  const expected = parameterShapes(config.model);
  const params = new Map<string, Param>();
  for (const { name, shape, kind } of expected) {
    const t = tensors.get(name);
    if (!t) throw new Error(`checkpoint: model.safetensors lacks ${name}`);
    if (t.shape.join(',') !== shape.join(',')) {
      throw new Error(`checkpoint: ${name} has shape [${t.shape}] but the config needs [${shape}]`);
    }
    params.set(name, {
      name,
      value: be.fromArray(t.data, shape, 'f32', name),
      grad: be.zeros(shape, 'f32', `grad.${name}`),
      decay: decays(kind),
    });
  }
  const extra = [...tensors.keys()].filter((n) => !params.has(n));
  if (extra.length) throw new Error(`checkpoint: model.safetensors has tensors the config does not use: ${extra.join(', ')}`);
  return { model: Transformer.fromParams(config.model, params), tokenizer };
}
