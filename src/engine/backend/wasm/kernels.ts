/**
 * The wasm backend's Kernels: the oracle's kernels (they run on the arena's typed-array views), with the hot
 * families replaced by calls into the SIMD module or by allocation-free JavaScript (host.ts). Each replacement runs the same shared shape check as the
 * oracle first, so bad input fails with the same message on every backend.
 */
import type { Kernels } from '../../kernels';
import type { Storage, Tensor } from '../../tensor';
import { checkMatmul } from '../../shapes/matmul';
import * as attentionShapes from '../../shapes/attention';
import { checkRmsnorm, checkRmsnormBackward } from '../../shapes/norm';
import { checkAxpy, checkBinary, checkUnary } from '../../shapes/elementwise';
import { checkAdamW, checkSumSquares } from '../../shapes/optim';
import { checkActivation } from '../../shapes/activation';
import { checkLogSigmoid, checkLogSigmoidBackward } from '../../shapes/logSigmoid';
import { cpuKernels } from '../cpu/kernels';
import type { WasmArena } from './arena';
import { hostKernels } from './host';
import type { KernelExports } from './module';

/** A tensor's storage, checked to live in this backend's memory. */
export function storageOf(arena: WasmArena, t: Tensor): Extract<Storage, { kind: 'cpu' }> {
  const s = t.storage;
  if (s.kind !== 'cpu' || !arena.owns(s.data)) throw new Error(`wasm backend: ${t} does not live in this backend's memory`);
  return s;
}

export function wasmKernels(k: KernelExports, arena: WasmArena): Kernels {
  const ptr = (t: Tensor) => storageOf(arena, t).data.byteOffset;
  /** Pointer of an optional i32 keyStart tensor, 0 for none. */
  const starts = (t: Tensor | undefined) => (t ? ptr(t) : 0);
  const pack = arena.alloc('f32', k.SGEMM_SCRATCH_FLOATS.value as number);
  const packPtr = () => pack.data.byteOffset;

  return {
    ...cpuKernels,
    ...hostKernels((t) => storageOf(arena, t).data as Float32Array | Int32Array),

    matmul(a, b, out, opts) {
      const { batch, M, N, K, transA, transB, alpha, accumulate, strideA, strideB } = checkMatmul(a, b, out, opts);
      const pa = ptr(a), pb = ptr(b), po = ptr(out), scratch = packPtr();
      // op(A)[m,k] = a[m·rs + k·cs] and op(B)[k,n] = b[k·rs + n·cs] in the stored layout.
      const [rsA, csA] = transA ? [1, M] : [K, 1];
      const [rsB, csB] = transB ? [1, K] : [N, 1];
      for (let bi = 0; bi < batch; bi++) {
        k.sgemm(M, N, K, pa + 4 * bi * strideA, rsA, csA, pb + 4 * bi * strideB, rsB, csB, po + 4 * bi * M * N, N, alpha, +accumulate, scratch);
      }
    },

    attnScores(q, key, scores, scale, mask) {
      const { B, T, H, D, Smax, S } = attentionShapes.checkScores('attnScores', q, key, scores, mask);
      k.attnScores(ptr(q), ptr(key), ptr(scores), B, T, H, D, Smax, S, scale, mask.qPos0, starts(mask.keyStart), packPtr());
    },
    attnScoresBackward(dscores, q, key, dq, dk, scale, mask) {
      const { B, T, H, D, Smax, S } = attentionShapes.checkScoresBackward(dscores, q, key, dq, dk, mask);
      const masked = arena.alloc('f32', T * S);
      const [pq, pk, pdq, pdk, pds] = [q, key, dq, dk, dscores].map(ptr);
      k.attnScoresBackward(pds, pq, pk, pdq, pdk, B, T, H, D, Smax, S, scale, mask.qPos0, starts(mask.keyStart), packPtr(), masked.data.byteOffset);
      arena.release(masked);
    },
    attnSoftmax(scores, probs, mask) {
      const { B, H, T, S } = attentionShapes.checkSoftmax(scores, probs, mask);
      k.attnSoftmax(ptr(scores), ptr(probs), B, H, T, S, mask.qPos0, starts(mask.keyStart));
    },
    attnSoftmaxBackward(probs, dprobs, dscores) {
      const { B, H, T, S } = attentionShapes.checkSoftmaxBackward(probs, dprobs, dscores);
      k.attnSoftmaxBackward(ptr(probs), ptr(dprobs), ptr(dscores), B * H * T, S);
    },
    attnValues(probs, v, out) {
      const { B, T, H, D, Smax, S } = attentionShapes.checkValues('attnValues', probs, v, out);
      k.attnValues(ptr(probs), ptr(v), ptr(out), B, T, H, D, Smax, S, packPtr());
    },
    attnValuesBackward(dout, probs, v, dprobs, dv) {
      const { B, T, H, D, Smax, S } = attentionShapes.checkValuesBackward(dout, probs, v, dprobs, dv);
      k.attnValuesBackward(ptr(dout), ptr(probs), ptr(v), ptr(dprobs), ptr(dv), B, T, H, D, Smax, S, packPtr());
    },

    rmsnorm(x, w, out, rstd, eps) {
      const { N, C } = checkRmsnorm('rmsnorm', x, w, out, rstd);
      k.rmsnorm(ptr(x), ptr(w), ptr(out), ptr(rstd), N, C, eps);
    },
    rmsnormBackward(dout, x, w, rstd, dx, dw) {
      const { N, C } = checkRmsnormBackward(dout, x, w, rstd, dx, dw);
      k.rmsnormBackward(ptr(dout), ptr(x), ptr(w), ptr(rstd), ptr(dx), ptr(dw), N, C);
    },

    add(a, b, out) {
      checkBinary('add', a, b, out);
      k.add(ptr(a), ptr(b), ptr(out), out.numel);
    },
    mul(a, b, out) {
      checkBinary('mul', a, b, out);
      k.mul(ptr(a), ptr(b), ptr(out), out.numel);
    },
    scale(a, s, out) {
      checkUnary('scale', a, out);
      k.scale(s, ptr(a), ptr(out), out.numel);
    },
    axpy(src, alpha, dst) {
      checkAxpy(src, dst);
      k.axpy(alpha, ptr(src), ptr(dst), dst.numel);
    },

    activation(x, out, kind) {
      if (kind !== 'silu') return cpuKernels.activation(x, out, kind);
      checkActivation('activation', kind, x, { out });
      k.silu(ptr(x), ptr(out), x.numel);
    },
    activationBackward(x, dout, dx, kind) {
      if (kind !== 'silu') return cpuKernels.activationBackward(x, dout, dx, kind);
      checkActivation('activationBackward', kind, x, { dout, dx });
      k.siluBackward(ptr(x), ptr(dout), ptr(dx), x.numel);
    },

    logSigmoid(x, out) {
      checkLogSigmoid(x, out);
      k.logSigmoid(ptr(x), ptr(out), x.numel);
    },
    logSigmoidBackward(x, dout, dx) {
      checkLogSigmoidBackward(x, dout, dx);
      k.logSigmoidBackward(ptr(x), ptr(dout), ptr(dx), x.numel);
    },

    sumSquares(x, acc) {
      checkSumSquares(x, acc);
      storageOf(arena, acc).data[0] += k.sumSquares(ptr(x), x.numel);
    },
    adamw(param, grad, m, v, clipStats, opts) {
      checkAdamW(param, grad, m, v, clipStats, opts);
      const { lr, beta1, beta2, eps, weightDecay, step } = opts;
      const factor = storageOf(arena, clipStats).data[1];
      const [c1, c2] = [1 - beta1 ** step, 1 - beta2 ** step];
      k.adamw(ptr(param), ptr(grad), ptr(m), ptr(v), param.numel, factor, lr, beta1, beta2, 1 - beta1, 1 - beta2, eps, weightDecay, c1, c2);
    },
  };
}
