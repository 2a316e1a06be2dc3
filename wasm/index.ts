/** Entry of the wasm backend's kernels (built by scripts/build-wasm.ts into src/engine/backend/wasm/binary.ts). */
export { sgemm, SGEMM_SCRATCH_FLOATS } from './matmul';
export { attnScores, attnScoresBackward, attnSoftmax, attnSoftmaxBackward, attnValues, attnValuesBackward } from './attention';
export { rmsnorm, rmsnormBackward } from './norm';
export { add, mul, scale, axpy } from './elementwise';
export { sumSquares, adamw } from './optim';
export { silu, siluBackward } from './activation';
export { logSigmoid, logSigmoidBackward } from './logSigmoid';
