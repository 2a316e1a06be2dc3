/**
 * AdamW over a list of named parameters, with global-norm gradient clipping. A step only RECORDS kernels on
 * the backend (zero the squared-norm accumulator → sumSquares of every gradient → clipFactor → adamw per
 * parameter): the clip factor is read by adamw on the device, so on webgpu the whole step, clipping included,
 * lands in the caller's submission and nothing is read back. Read `stats` after a flush for the gradient norm.
 */
import type { Backend } from './backend';
import type { Tensor } from './tensor';

export interface OptimParam {
  name: string;
  param: Tensor;
  /** Gradient of `param`, filled by the caller's backward before each step. */
  grad: Tensor;
  /** Whether weight decay applies (the caller's choice; usually off for norm gains and biases). */
  decay: boolean;
}

export interface AdamWConfig {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

export const ADAMW_DEFAULTS: AdamWConfig = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 };

export interface AdamWStepOptions {
  lr: number;
  /** Clip the global gradient norm to this value; omitted = no clipping (the norm is still computed). */
  maxGradNorm?: number;
}

export interface AdamWState {
  steps: number;
  moments: Map<string, { m: Float32Array; v: Float32Array }>;
}

interface Slot extends OptimParam {
  m: Tensor;
  v: Tensor;
}

export class AdamW {
  readonly config: AdamWConfig;
  /** f32 [2]: [global gradient norm before clipping, clip factor applied] of the last step. */
  readonly stats: Tensor;
  private readonly sumsq: Tensor;
  private readonly slots: Slot[];
  private steps = 0;

  constructor(
    private readonly be: Backend,
    params: readonly OptimParam[],
    config: Partial<AdamWConfig> = {},
  ) {
    this.config = { ...ADAMW_DEFAULTS, ...config };
    const seen = new Set<string>();
    this.slots = params.map((p) => {
      if (seen.has(p.name)) throw new Error(`AdamW: duplicate parameter name ${p.name}`);
      seen.add(p.name);
      return { ...p, m: be.zeros(p.param.shape, 'f32', `${p.name}.adam_m`), v: be.zeros(p.param.shape, 'f32', `${p.name}.adam_v`) };
    });
    this.sumsq = be.zeros([1], 'f32', 'adamw.sumsq');
    this.stats = be.zeros([2], 'f32', 'adamw.stats');
  }

  /** Number of steps taken (the bias-correction exponent of the last step). */
  get stepCount(): number {
    return this.steps;
  }

  /** The first and second moment estimates of a parameter (for checkpoints and tests). */
  moments(name: string): { m: Tensor; v: Tensor } {
    const slot = this.slots.find((s) => s.name === name);
    if (!slot) throw new Error(`AdamW: no parameter named ${name}`);
    return { m: slot.m, v: slot.v };
  }

  step(opts: AdamWStepOptions): void {
    const { be, config } = this;
    be.zero(this.sumsq);
    for (const s of this.slots) be.sumSquares(s.grad, this.sumsq);
    be.clipFactor(this.sumsq, this.stats, opts.maxGradNorm ?? Infinity);
    const step = this.steps + 1;
    for (const s of this.slots) {
      be.adamw(s.param, s.grad, s.m, s.v, this.stats, { ...config, lr: opts.lr, weightDecay: s.decay ? config.weightDecay : 0, step });
    }
    this.steps = step;
  }

  /** The step count and both moments of every parameter, read back (between steps only). */
  async saveState(): Promise<AdamWState> {
    const moments = new Map<string, { m: Float32Array; v: Float32Array }>();
    for (const s of this.slots) moments.set(s.name, { m: (await this.be.read(s.m)) as Float32Array, v: (await this.be.read(s.v)) as Float32Array });
    return { steps: this.steps, moments };
  }

  /** Continue from a saved state of an optimizer over the same parameters. */
  loadState(state: AdamWState): void {
    for (const s of this.slots) {
      const saved = state.moments.get(s.name);
      if (!saved || saved.m.length !== s.m.numel || saved.v.length !== s.v.numel) throw new Error(`AdamW: saved state does not fit parameter ${s.name}`);
    }
    for (const s of this.slots) {
      const saved = state.moments.get(s.name)!;
      this.be.write(s.m, saved.m);
      this.be.write(s.v, saved.v);
    }
    this.steps = state.steps;
  }

  /** Release the optimizer state (parameters and gradients belong to the caller). */
  dispose(): void {
    for (const s of this.slots) {
      this.be.release(s.m);
      this.be.release(s.v);
    }
    this.be.release(this.sumsq);
    this.be.release(this.stats);
  }
}

/**
 * Stop a run whose step produced a non-finite loss or gradient norm: the update already wrote NaN/Inf into the
 * weights, so every later step would be garbage. The message names where and the usual way out.
 */
export function assertFiniteStep(where: string, loss: number, gradNorm: number, advice: string): void {
  if (Number.isFinite(loss) && Number.isFinite(gradNorm)) return;
  throw new Error(`training diverged at ${where}: loss ${loss}, gradient norm ${gradNorm}. ${advice}`);
}
