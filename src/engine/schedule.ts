/**
 * Learning-rate schedules as pure functions of the 0-based step index (the step about to be taken).
 *
 * Warm-up is linear and never yields 0: step s < warmupSteps gets lr·(s+1)/warmupSteps, so the last warm-up
 * step reaches the peak lr. Decay then runs from the peak at s = warmupSteps to the floor lr·minLrRatio at
 * s = totalSteps and stays at the floor after it (the llm.c / nanoGPT convention).
 */

export interface WarmupDecayOptions {
  /** Peak learning rate. */
  lr: number;
  warmupSteps: number;
  /** Step at which decay reaches the floor. */
  totalSteps: number;
  /** Floor as a fraction of lr, in [0, 1]. */
  minLrRatio: number;
}

export function constantLr(_step: number, opts: { lr: number }): number {
  return opts.lr;
}

/** Linear warm-up, then half-cosine decay to lr·minLrRatio. */
export function warmupCosine(step: number, opts: WarmupDecayOptions): number {
  return warmupThen(step, opts, (progress) => 0.5 * (1 + Math.cos(Math.PI * progress)));
}

/** Linear warm-up, then linear decay to lr·minLrRatio. */
export function warmupLinear(step: number, opts: WarmupDecayOptions): number {
  return warmupThen(step, opts, (progress) => 1 - progress);
}

/** `shape` maps decay progress in [0, 1] to a weight going from 1 (peak) to 0 (floor). */
function warmupThen(step: number, opts: WarmupDecayOptions, shape: (progress: number) => number): number {
  const { lr, warmupSteps, totalSteps, minLrRatio } = opts;
  if (!(Number.isInteger(step) && step >= 0)) throw new Error(`lr schedule: step must be an integer ≥ 0, got ${step}`);
  if (!(Number.isInteger(warmupSteps) && warmupSteps >= 0)) throw new Error(`lr schedule: warmupSteps must be an integer ≥ 0, got ${warmupSteps}`);
  if (!(minLrRatio >= 0 && minLrRatio <= 1)) throw new Error(`lr schedule: minLrRatio must be in [0, 1], got ${minLrRatio}`);
  if (step < warmupSteps) return (lr * (step + 1)) / warmupSteps;
  const span = totalSteps - warmupSteps;
  const progress = span > 0 ? Math.min(1, (step - warmupSteps) / span) : 1;
  const floor = lr * minLrRatio;
  return floor + (lr - floor) * shape(progress);
}
