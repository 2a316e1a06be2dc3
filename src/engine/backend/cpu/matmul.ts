/** Matmul kernels, CPU oracle. */
import type { Kernels } from '../../kernels';
import { checkMatmul } from '../../shapes/matmul';
import { f32 } from './data';

export const matmulCpu: Pick<Kernels, 'matmul'> = {
  matmul(a, b, out, opts) {
    const { batch, M, N, K, transA, transB, alpha, accumulate, strideA, strideB } = checkMatmul(a, b, out, opts);
    const x = f32(a), y = f32(b), o = f32(out);
    // op(A)[m,k] and op(B)[k,n] of batch `bi`, read from the stored layout.
    const opA = (bi: number, m: number, k: number) => x[bi * strideA + (transA ? k * M + m : m * K + k)];
    const opB = (bi: number, k: number, n: number) => y[bi * strideB + (transB ? n * K + k : k * N + n)];
    for (let bi = 0; bi < batch; bi++) {
      for (let m = 0; m < M; m++) {
        for (let n = 0; n < N; n++) {
          let dot = 0;
          for (let k = 0; k < K; k++) dot += opA(bi, m, k) * opB(bi, k, n);
          const i = (bi * M + m) * N + n;
          o[i] = accumulate ? o[i] + alpha * dot : alpha * dot;
        }
      }
    }
  },
};
