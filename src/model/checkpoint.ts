/**
 * Checkpoint = config.json (model config + tokenizer alphabet) + model.safetensors (float32 parameters under
 * the names of params.ts). Format documented in docs/checkpoint.md; readable by scripts/reference_model.py.
 */
import type { Backend } from '../engine/backend';
import * as z from 'zod';
import { assertValidConfig, MODEL_LIMITS, presetConfig, type ModelConfig } from './config';
import { decays, parameterShapes, type Param } from './params';
import { readSafetensors, writeSafetensors, type NamedArray } from './safetensors';
import { CharTokenizer, SPECIAL_TOKENS } from './tokenizer';
import { Transformer } from './transformer';
import { options, problemsOf, reservedKeyProblems, show, text } from './validation';

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

/** A checkpoint's config.json is a few hundred bytes; this bounds what a hostile file can make us parse. */
export const MAX_CHECKPOINT_CONFIG_CHARS = 65_536;

const CheckpointConfigSchema = options(
  {
    format: z.literal(CHECKPOINT_FORMAT, { error: (iss) => `has format ${show(iss.input)}, expected ${CHECKPOINT_FORMAT}` }),
    // Filled with the defaults and checked by the model schema below.
    model: z.record(z.string(), z.unknown(), { error: 'has no model config' }),
    alphabet: text(MODEL_LIMITS.vocabSize - SPECIAL_TOKENS),
  },
  'a JSON object',
);

export function parseCheckpointConfig(configJson: string): CheckpointConfig {
  if (configJson.length > MAX_CHECKPOINT_CONFIG_CHARS) throw new Error(`checkpoint config.json is more than ${MAX_CHECKPOINT_CONFIG_CHARS} characters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(configJson);
  } catch (e) {
    throw new Error(`checkpoint config.json is not valid JSON (${(e as Error).message})`);
  }
  const problems = [...reservedKeyProblems(parsed), ...problemsOf(CheckpointConfigSchema.safeParse(parsed))];
  if (problems.length) throw new Error(`checkpoint config.json: ${problems.join('; ')}`);
  const given = parsed as { format: typeof CHECKPOINT_FORMAT; model: Partial<ModelConfig>; alphabet: string };
  // Settings added after a checkpoint was written take their defaults (they change nothing the file describes).
  const model = { ...presetConfig('tiny', 0), ...given.model };
  assertValidConfig(model);
  return { format: given.format, model, alphabet: given.alphabet };
}

/** Load a checkpoint onto a backend; names and shapes must match the config exactly. Nothing is allocated unless all do. */
export function loadCheckpoint(be: Backend, files: CheckpointFiles): { model: Transformer; tokenizer: CharTokenizer } {
  const config = parseCheckpointConfig(files.configJson);
  const tokenizer = new CharTokenizer(config.alphabet);
  if (tokenizer.vocabSize !== config.model.vocabSize) {
    throw new Error(`checkpoint: alphabet gives ${tokenizer.vocabSize} tokens but the model has vocabSize ${config.model.vocabSize}`);
  }
  const { tensors } = readSafetensors(files.weights);
  const expected = parameterShapes(config.model);
  for (const { name, shape } of expected) {
    const t = tensors.get(name);
    if (!t) throw new Error(`checkpoint: model.safetensors lacks ${name}`);
    if (t.shape.join(',') !== shape.join(',')) {
      throw new Error(`checkpoint: ${name} has shape [${t.shape}] but the config needs [${shape}]`);
    }
  }
  const extra = [...tensors.keys()].filter((n) => !expected.some((e) => e.name === n));
  if (extra.length) throw new Error(`checkpoint: model.safetensors has tensors the config does not use: ${extra.map(show).join(', ')}`);
  const params = new Map<string, Param>();
  for (const { name, shape, kind } of expected) {
    params.set(name, {
      name,
      value: be.fromArray(tensors.get(name)!.data, shape, 'f32', name),
      grad: be.zeros(shape, 'f32', `grad.${name}`),
      decay: decays(kind),
    });
  }
  return { model: Transformer.fromParams(config.model, params), tokenizer };
}
