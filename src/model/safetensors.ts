/**
 * The safetensors container (float32 only): an 8-byte little-endian header length, a JSON header mapping each
 * tensor name to {dtype, shape, data_offsets} (plus optional string `__metadata__`), then the raw data.
 * Works on ArrayBuffers, so the browser (download/upload, IndexedDB) and Node share it.
 */
import * as z from 'zod';
import { show } from './validation';

export interface NamedArray {
  shape: number[];
  data: Float32Array;
}

export function writeSafetensors(tensors: Map<string, NamedArray>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of tensors) {
    const bytes = t.data.length * 4;
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  // The spec asks for the data to start 8-byte aligned: pad the header with spaces.
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const t of tensors.values()) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), pos);
    pos += t.data.byteLength;
  }
  return out;
}

export interface ParsedSafetensors {
  tensors: Map<string, NamedArray>;
  metadata: Record<string, string>;
}

/**
 * Bounds of a file we read: a header larger than this is not one of ours (ours take a few kB), and tensors of
 * the policy models have at most 3 dimensions.
 */
export const SAFETENSORS_LIMITS = { headerBytes: 1 << 20, rank: 8 } as const;

const TensorEntrySchema = z.strictObject(
  {
    dtype: z.literal('F32', { error: (iss) => `has dtype ${show(iss.input)}; only F32 is supported` }),
    shape: z.array(z.int().min(0), { error: 'has an invalid shape' }).max(SAFETENSORS_LIMITS.rank, { error: `has more than ${SAFETENSORS_LIMITS.rank} dimensions` }),
    data_offsets: z.tuple([z.int().min(0), z.int().min(0)], { error: 'has data offsets that are not two non-negative integers' }),
  },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? `has unknown fields ${iss.keys.join(', ')}` : 'is not a {dtype, shape, data_offsets} entry') },
);
const MetadataSchema = z.record(z.string(), z.string(), { error: '__metadata__ must map names to strings' });

/** Parse a safetensors file; every structural problem is reported with what was wrong. */
export function readSafetensors(bytes: Uint8Array): ParsedSafetensors {
  const bad = (msg: string): never => {
    throw new Error(`safetensors: ${msg}`);
  };
  if (bytes.length < 8) bad(`file is ${bytes.length} bytes, too short for a header`);
  const headerLen = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (headerLen > bytes.length - 8) bad(`header length ${headerLen} exceeds the file size ${bytes.length}`);
  if (headerLen > SAFETENSORS_LIMITS.headerBytes) bad(`header length ${headerLen} is more than ${SAFETENSORS_LIMITS.headerBytes} bytes`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch (e) {
    return bad(`header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return bad('header is not a JSON object');
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const tensors = new Map<string, NamedArray>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      const m = MetadataSchema.safeParse(entry);
      metadata = m.success ? m.data : bad(m.error.issues[0].message);
      continue;
    }
    const parsed = TensorEntrySchema.safeParse(entry);
    if (!parsed.success) return bad(`tensor ${show(name)} ${parsed.error.issues[0].message}`);
    const { shape, data_offsets: [begin, end] } = parsed.data;
    const n = shape.reduce((a, b) => a * b, 1);
    if (!(end <= dataLen && end - begin === n * 4)) {
      bad(`tensor ${show(name)} ${JSON.stringify(shape)} has data offsets [${begin}, ${end}] that do not fit its size or the file`);
    }
    const copy = bytes.slice(dataStart + begin, dataStart + end);
    tensors.set(name, { shape, data: new Float32Array(copy.buffer) });
  }
  return { tensors, metadata };
}
