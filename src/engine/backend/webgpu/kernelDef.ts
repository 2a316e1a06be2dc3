/** Builds KernelDefs from a family's WGSL: shaders/common.wgsl is prepended because WGSL has no include. */
import commonWGSL from '../../../../shaders/common.wgsl?raw';
import type { BindingAccess, KernelDef, ParamType } from './runtime';
import type { AttentionMask } from '../../kernels';
import type { Tensor } from '../../tensor';

export function kernelFamily(family: string, code: string) {
  const full = `${commonWGSL}\n${code}`;
  return (
    entryPoint: string,
    params: ReadonlyArray<readonly [string, ParamType]>,
    bindings: readonly BindingAccess[],
  ): KernelDef => ({ label: `${family}.${entryPoint}`, code: full, entryPoint, params, bindings });
}

export function gpuBuffer(t: Tensor): GPUBuffer {
  if (t.storage.kind !== 'webgpu') throw new Error(`webgpu backend: ${t} lives on ${t.storage.kind}`);
  return t.storage.buffer;
}

/**
 * The keyStart tensor of a mask, or `fallback` (a read-only input of the same dispatch) when there is none: the
 * shaders never read the keyStart binding then, but it must be bound.
 */
export function keyStartOr(mask: AttentionMask, fallback: Tensor): Tensor {
  return mask.keyStart ?? fallback;
}
