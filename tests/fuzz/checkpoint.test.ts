/**
 * Fuzzing checkpoints: corrupt safetensors headers (entries, dtypes, shapes, offsets), edited and truncated bytes,
 * and mutated config.json. Every load gives a working model or one plain Error, and a refused load allocates
 * nothing on the backend.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/engine/backend';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { loadCheckpoint, saveCheckpoint, type CheckpointFiles } from '../../src/model/checkpoint';
import { presetConfig } from '../../src/model/config';
import { readSafetensors } from '../../src/model/safetensors';
import { CharTokenizer } from '../../src/model/tokenizer';
import { Transformer } from '../../src/model/transformer';
import { byteEdit, editBytes, editText, FUZZ, hostileValue, mutateJson, mutation, outcome, textEdit } from './hostile';

/** A CPU backend that counts tensor allocations, to see that a refused load leaves nothing behind. */
function countingBackend(): { be: Backend; allocations: () => number } {
  const be = createCpuBackend();
  let n = 0;
  const counted = new Proxy(be, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if ((prop === 'fromArray' || prop === 'zeros') && typeof v === 'function') {
        return (...args: unknown[]) => {
          n++;
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return v;
    },
  });
  return { be: counted, allocations: () => n };
}

let good: CheckpointFiles;
let header: Record<string, unknown>;
let headerEnd: number;

beforeAll(async () => {
  const be = createCpuBackend();
  const tok = new CharTokenizer('ab');
  const config = presetConfig('tiny', tok.vocabSize, { nEmbd: 8, nHead: 2, nLayer: 1, ffnHidden: 8, contextLength: 8, tiedEmbeddings: true });
  good = await saveCheckpoint(be, Transformer.init(be, config, 1), tok);
  const len = Number(new DataView(good.weights.buffer, good.weights.byteOffset, 8).getBigUint64(0, true));
  headerEnd = 8 + len;
  header = JSON.parse(new TextDecoder().decode(good.weights.subarray(8, headerEnd)));
});

/** The file with another header text in front of the same data. */
function withHeader(text: string): Uint8Array {
  const h = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + h.length + good.weights.length - headerEnd);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(good.weights.subarray(headerEnd), 8 + h.length);
  return out;
}

function checkLoad(files: CheckpointFiles): void {
  const { be, allocations } = countingBackend();
  const o = outcome(() => loadCheckpoint(be, files));
  if ('value' in o) {
    expect(o.value.model.params.size).toBeGreaterThan(0);
    expect(allocations()).toBe(2 * o.value.model.params.size);
  } else {
    expect(o.error).toMatch(/^(checkpoint|safetensors|invalid model config|tokenizer)/);
    expect(allocations()).toBe(0);
  }
}

describe('fuzz: checkpoints', () => {
  it('safetensors headers with mutated entries (dtypes, shapes, offsets, unknown fields, metadata)', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => checkLoad({ ...good, weights: withHeader(mutateJson(header as never, ms)) })),
      FUZZ,
    );
  });

  it('safetensors bytes edited and truncated (header length, header text, data)', () => {
    // Edits aim at the first bytes half the time: the length field and the header are where parsing can go wrong.
    const edit = fc.oneof(byteEdit, byteEdit.map((e) => ({ ...e, at: e.at % 64 })));
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (es) => checkLoad({ ...good, weights: editBytes(good.weights, es) })), FUZZ);
  });

  it('config.json mutated in structure and in text', () => {
    const config = JSON.parse(good.configJson);
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.array(textEdit, { maxLength: 2 }), (ms, es) =>
        checkLoad({ ...good, configJson: editText(mutateJson(config, ms), es) }),
      ),
      FUZZ,
    );
  });

  it('random bytes and random headers', () => {
    const randomHeader = fc.dictionary(fc.string({ maxLength: 8 }), hostileValue, { maxKeys: 4 }).map((h) => withHeader(JSON.stringify(h)));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), randomHeader), (bytes) => {
        const o = outcome(() => readSafetensors(bytes));
        if ('error' in o) expect(o.error).toMatch(/^safetensors: /);
      }),
      FUZZ,
    );
  });
});

describe('fuzz regressions (cases that once threw TypeErrors)', () => {
  it.each([
    ['a header that is null', 'null', /header is not a JSON object/],
    ['a null tensor entry', '{"embed.weight":null}', /tensor "embed\.weight" is not a \{dtype, shape, data_offsets\} entry/],
    ['offsets that are a number', '{"w":{"dtype":"F32","shape":[1],"data_offsets":4}}', /data offsets that are not two non-negative integers/],
    ['metadata that is a number', '{"__metadata__":3}', /__metadata__ must map names to strings/],
  ])('%s', (_what, text, why) => {
    expect(() => readSafetensors(withHeader(text))).toThrow(why);
  });

  it.each([
    ['a config that is null', 'null', /checkpoint config\.json: must be a JSON object \(got null\)/],
    ['a model that is a list', '{"format":"grpo-playground/checkpoint@1","alphabet":"ab","model":[1]}', /has no model config/],
  ])('%s', (_what, text, why) => {
    expect(() => loadCheckpoint(createCpuBackend(), { ...good, configJson: text })).toThrow(why);
  });

  it('allocates nothing when a later tensor is missing', () => {
    const h = structuredClone(header);
    delete h['norm.weight'];
    const { be, allocations } = countingBackend();
    expect(() => loadCheckpoint(be, { ...good, weights: withHeader(JSON.stringify(h)) })).toThrow(/lacks norm\.weight/);
    expect(allocations()).toBe(0);
  });
});
