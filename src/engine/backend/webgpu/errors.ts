/** Typed GPU failures, so callers (the trainer, the app) can pause on device loss instead of hanging. */
export type GpuErrorKind = 'unavailable' | 'validation' | 'device-lost' | 'readback';

export class GpuError extends Error {
  constructor(
    readonly kind: GpuErrorKind,
    message: string,
  ) {
    super(`WebGPU ${kind}: ${message}`);
    this.name = 'GpuError';
  }
}
