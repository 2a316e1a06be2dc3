/**
 * The safetensors container (float32 only): an 8-byte little-endian header length, a JSON header mapping each
 * tensor name to {dtype, shape, data_offsets} (plus optional string `__metadata__`), then the raw data.
 * Works on ArrayBuffers, so the browser (download/upload, IndexedDB) and Node share it.
 */

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

/** Parse a safetensors file; every structural problem is reported with what was wrong. */
export function readSafetensors(bytes: Uint8Array): ParsedSafetensors {
  const bad = (msg: string): never => {
    throw new Error(`safetensors: ${msg}`);
  };
  if (bytes.length < 8) bad(`file is ${bytes.length} bytes, too short for a header`);
  const headerLen = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (headerLen > bytes.length - 8) bad(`header length ${headerLen} exceeds the file size ${bytes.length}`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen))) as Record<string, unknown>;
  } catch (e) {
    return bad(`header is not valid JSON (${(e as Error).message})`);
  }
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const tensors = new Map<string, NamedArray>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    const e = entry as { dtype?: string; shape?: number[]; data_offsets?: [number, number] };
    if (e.dtype !== 'F32') bad(`tensor ${name} has dtype ${e.dtype}; only F32 is supported`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) bad(`tensor ${name} has an invalid shape`);
    const [begin, end] = e.data_offsets ?? [-1, -1];
    const n = e.shape!.reduce((a, b) => a * b, 1);
    if (!(begin >= 0 && end <= dataLen && end - begin === n * 4)) {
      bad(`tensor ${name} ${JSON.stringify(e.shape)} has data offsets [${begin}, ${end}] that do not fit its size or the file`);
    }
    const copy = bytes.slice(dataStart + begin, dataStart + end);
    tensors.set(name, { shape: e.shape!, data: new Float32Array(copy.buffer) });
  }
  return { tensors, metadata };
}
