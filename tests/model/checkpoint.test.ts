import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../src/engine/backend/cpu';
import { loadCheckpoint, saveCheckpoint } from '../../src/model/checkpoint';
import { presetConfig } from '../../src/model/config';
import { readSafetensors, writeSafetensors } from '../../src/model/safetensors';
import { BOS, CharTokenizer, EOS, PAD } from '../../src/model/tokenizer';
import { Transformer } from '../../src/model/transformer';

describe('tokenizer', () => {
  const tok = new CharTokenizer('0123456789+=');
  it('round-trips text and reserves PAD/BOS/EOS', () => {
    expect([PAD, BOS, EOS]).toEqual([0, 1, 2]);
    expect(tok.vocabSize).toBe(15);
    expect(tok.encode('12+3')).toEqual([4, 5, 13, 6]);
    expect(tok.decode([BOS, 4, 5, 13, 6, EOS, 7])).toBe('12+3');
  });
  it('names the unknown character', () => {
    expect(() => tok.encode('1x')).toThrow(/"x" at position 1/);
    expect(() => new CharTokenizer('aba')).toThrow(/repeats/);
  });
});

describe('safetensors', () => {
  it('writes the documented layout and reads it back', () => {
    const bytes = writeSafetensors(new Map([['w', { shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) }]]), { k: 'v' });
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLen) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen)));
    expect(header.w).toEqual({ dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] });
    const back = readSafetensors(bytes);
    expect(Array.from(back.tensors.get('w')!.data)).toEqual([1, 2, 3, 4]);
    expect(back.metadata).toEqual({ k: 'v' });
  });
  it('rejects truncated and corrupt files with a reason', () => {
    const bytes = writeSafetensors(new Map([['w', { shape: [4], data: new Float32Array(4) }]]));
    expect(() => readSafetensors(bytes.subarray(0, bytes.length - 4))).toThrow(/data offsets/);
    expect(() => readSafetensors(new Uint8Array(4))).toThrow(/too short/);
    const garbage = bytes.slice();
    garbage[9] = 0x7b;
    garbage[10] = 0x7b;
    expect(() => readSafetensors(garbage)).toThrow(/not valid JSON/);
  });
});

describe('checkpoint', () => {
  it('saves and loads a model with identical parameters', async () => {
    const be = createCpuBackend();
    const tok = new CharTokenizer('abc');
    const model = Transformer.init(be, presetConfig('tiny', tok.vocabSize, { ffn: 'gated', tiedEmbeddings: true }), 5);
    const files = await saveCheckpoint(be, model, tok);
    const loaded = loadCheckpoint(be, files);
    expect(loaded.tokenizer.alphabet).toBe('abc');
    expect(loaded.model.config).toEqual(model.config);
    for (const [name, p] of model.params) {
      expect(Array.from(await be.read(loaded.model.params.get(name)!.value))).toEqual(Array.from(await be.read(p.value)));
    }
    expect(model.params.has('layers.1.ffn.w3.weight')).toBe(true);
    expect(model.params.has('lm_head.weight')).toBe(false);
  });
  it('refuses a checkpoint whose tensors do not match the config', async () => {
    const be = createCpuBackend();
    const tok = new CharTokenizer('ab');
    const files = await saveCheckpoint(be, Transformer.init(be, presetConfig('tiny', tok.vocabSize), 1), tok);
    const cfg = JSON.parse(files.configJson);
    cfg.model.nEmbd = 64;
    expect(() => loadCheckpoint(be, { ...files, configJson: JSON.stringify(cfg) })).toThrow(/embed.weight has shape \[5,32\] but the config needs \[5,64\]/);
    cfg.model.nEmbd = 33;
    expect(() => loadCheckpoint(be, { ...files, configJson: JSON.stringify(cfg) })).toThrow(/heads \(2\) must divide the width \(33\)/);
    expect(() => loadCheckpoint(be, { ...files, configJson: '{' })).toThrow(/not valid JSON/);
  });
});
