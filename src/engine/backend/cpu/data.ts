/** Typed-array access to CPU tensors. */
import type { Tensor } from '../../tensor';

export function f32(t: Tensor): Float32Array {
  if (t.storage.kind !== 'cpu') throw new Error(`cpu backend: ${t} lives on ${t.storage.kind}`);
  if (t.dtype !== 'f32') throw new Error(`cpu backend: ${t} is not f32`);
  return t.storage.data as Float32Array;
}

export function i32(t: Tensor): Int32Array {
  if (t.storage.kind !== 'cpu') throw new Error(`cpu backend: ${t} lives on ${t.storage.kind}`);
  if (t.dtype !== 'i32') throw new Error(`cpu backend: ${t} is not i32`);
  return t.storage.data as Int32Array;
}
