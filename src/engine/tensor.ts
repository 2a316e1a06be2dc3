/**
 * A tensor is a shape, a dtype and backend-owned storage. Tensors carry no autograd state: gradients are
 * tracked by `Graph` (autograd.ts), so kernels stay plain destination-passing functions.
 */
import { ShapeError, fmtShape, numel, sameShape, type Shape } from './shape';

/** f32 for activations and weights; i32/u32 for token ids, positions and counters. */
export type DType = 'f32' | 'i32' | 'u32';
export type TypedArrayOf<D extends DType> = D extends 'f32' ? Float32Array : D extends 'i32' ? Int32Array : Uint32Array;
export type AnyTypedArray = Float32Array | Int32Array | Uint32Array;

/** CPU tensors own a typed array; WebGPU tensors own a storage buffer (size rounded up, `bytes` is the used part). */
export type Storage = { kind: 'cpu'; data: AnyTypedArray } | { kind: 'webgpu'; buffer: GPUBuffer; bytes: number };

export class Tensor {
  readonly numel: number;
  constructor(
    readonly shape: Shape,
    readonly dtype: DType,
    readonly storage: Storage,
    readonly label: string,
  ) {
    this.numel = numel(shape);
  }

  toString(): string {
    return `Tensor(${this.label} ${this.dtype}${fmtShape(this.shape)})`;
  }
}

export function typedArrayFor(dtype: DType, n: number): AnyTypedArray {
  if (dtype === 'f32') return new Float32Array(n);
  if (dtype === 'i32') return new Int32Array(n);
  return new Uint32Array(n);
}

/** Throws a ShapeError naming `op` when `t` does not have exactly `shape` (use -1 as a wildcard) and `dtype`. */
export function expectTensor(op: string, name: string, t: Tensor, shape: Shape, dtype: DType = 'f32'): void {
  const ok = t.shape.length === shape.length && shape.every((d, i) => d === -1 || d === t.shape[i]);
  if (!ok) throw new ShapeError(`${op}: ${name} has shape ${fmtShape(t.shape)}, expected ${fmtShape(shape)}`);
  if (t.dtype !== dtype) throw new ShapeError(`${op}: ${name} has dtype ${t.dtype}, expected ${dtype}`);
}

/** Throws a ShapeError naming `op` and both shapes unless `a` and `b` have the same shape. */
export function expectSameShape(op: string, a: Tensor, b: Tensor): void {
  if (!sameShape(a.shape, b.shape)) {
    throw new ShapeError(`${op}: shape mismatch ${a.label}${fmtShape(a.shape)} vs ${b.label}${fmtShape(b.shape)}`);
  }
}

/**
 * Throws a ShapeError naming `op` when `output` shares storage with one of `inputs`: kernels write an output element
 * by element while reading their inputs.
 */
export function expectDistinct(op: string, output: Tensor, inputs: readonly Tensor[]): void {
  for (const input of inputs) {
    if (input.storage === output.storage) throw new ShapeError(`${op}: ${output} must not alias ${input}`);
  }
}

/** A tensor with a new shape over the same storage (no copy); element counts must match. */
export function viewAs(t: Tensor, shape: Shape, label = t.label): Tensor {
  const n = numel(shape);
  if (n !== t.numel) throw new ShapeError(`view: cannot view ${t} as ${fmtShape(shape)} (${t.numel} vs ${n} elements)`);
  return new Tensor(shape, t.dtype, t.storage, label);
}
