/** Checkpoint directories on disk (config.json + model.safetensors). */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Backend } from '../engine/backend';
import { loadCheckpoint, saveCheckpoint } from '../model/checkpoint';
import type { CharTokenizer } from '../model/tokenizer';
import type { Transformer } from '../model/transformer';
import { UsageError } from './args';

/** A text file's contents, or a usage error naming the file and why it cannot be read. */
export async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

export async function readCheckpointDir(be: Backend, dir: string) {
  let configJson: string, weights: Uint8Array;
  try {
    configJson = await readFile(join(dir, 'config.json'), 'utf8');
    weights = new Uint8Array(await readFile(join(dir, 'model.safetensors')));
  } catch (e) {
    throw new UsageError(`cannot read checkpoint ${dir}: ${(e as Error).message}`);
  }
  try {
    return loadCheckpoint(be, { configJson, weights });
  } catch (e) {
    throw new UsageError(`${dir}: ${(e as Error).message}`);
  }
}

export async function writeCheckpointDir(be: Backend, dir: string, model: Transformer, tok: CharTokenizer): Promise<void> {
  const files = await saveCheckpoint(be, model, tok);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'config.json'), files.configJson);
  await writeFile(join(dir, 'model.safetensors'), files.weights);
}
