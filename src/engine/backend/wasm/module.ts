/** Instantiates the compiled kernels (binary.ts) against an arena's memory; the exports are typed here. */
import { KERNELS_WASM_BASE64 } from './binary';

/** Pointers are byte offsets into the arena's memory; booleans are 0/1. Signatures mirror wasm/*.ts. */
export interface KernelExports {
  SGEMM_SCRATCH_FLOATS: WebAssembly.Global;
  sgemm(
    M: number, N: number, K: number,
    a: number, rsA: number, csA: number,
    b: number, rsB: number, csB: number,
    c: number, ldc: number, alpha: number, accumulate: number, pack: number,
  ): void;
  attnScores(
    q: number, k: number, scores: number,
    B: number, T: number, H: number, D: number, Smax: number, S: number, scale: number, qPos0: number, keyStart: number, pack: number,
  ): void;
  /** `masked`: scratch of T·S floats. */
  attnScoresBackward(
    dscores: number, q: number, k: number, dq: number, dk: number,
    B: number, T: number, H: number, D: number, Smax: number, S: number, scale: number, qPos0: number, keyStart: number,
    pack: number, masked: number,
  ): void;
  attnSoftmax(scores: number, probs: number, B: number, H: number, T: number, S: number, qPos0: number, keyStart: number): void;
  attnSoftmaxBackward(probs: number, dprobs: number, dscores: number, rows: number, S: number): void;
  attnValues(probs: number, v: number, out: number, B: number, T: number, H: number, D: number, Smax: number, S: number, pack: number): void;
  attnValuesBackward(
    dout: number, probs: number, v: number, dprobs: number, dv: number,
    B: number, T: number, H: number, D: number, Smax: number, S: number, pack: number,
  ): void;
  rmsnorm(x: number, w: number, out: number, rstd: number, N: number, C: number, eps: number): void;
  rmsnormBackward(dout: number, x: number, w: number, rstd: number, dx: number, dw: number, N: number, C: number): void;
  add(a: number, b: number, out: number, n: number): void;
  mul(a: number, b: number, out: number, n: number): void;
  scale(s: number, a: number, out: number, n: number): void;
  axpy(alpha: number, x: number, y: number, n: number): void;
  sumSquares(x: number, n: number): number;
  adamw(
    p: number, g: number, m: number, v: number, n: number,
    factor: number, lr: number, beta1: number, beta2: number, oneMinusBeta1: number, oneMinusBeta2: number,
    eps: number, wd: number, c1: number, c2: number,
  ): void;
  silu(x: number, out: number, n: number): void;
  siluBackward(x: number, dout: number, dx: number, n: number): void;
  logSigmoid(x: number, out: number, n: number): void;
  logSigmoidBackward(x: number, dout: number, dx: number, n: number): void;
}

let compiled: Promise<WebAssembly.Module> | null = null;

function bytes(): Uint8Array<ArrayBuffer> {
  const text = atob(KERNELS_WASM_BASE64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** Compile once per realm (the module is stateless; each backend instantiates it over its own memory). */
export async function instantiateKernels(memory: WebAssembly.Memory): Promise<KernelExports> {
  compiled ??= WebAssembly.compile(bytes()).catch((e: Error) => {
    compiled = null;
    throw new Error(`wasm backend: this runtime cannot compile the kernels (WebAssembly SIMD needed): ${e.message}`);
  });
  const instance = await WebAssembly.instantiate(await compiled, { env: { memory } });
  return instance.exports as unknown as KernelExports;
}
