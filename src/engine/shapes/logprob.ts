/** Shape checks of the logprob family (token log-probs, entropy, fused cross-entropy), shared by both backends. */
import { ShapeError } from '../shape';
import { expectTensor, type Tensor } from '../tensor';

/** Validates logits f32 [N,V] (V ≥ 1) and targets i32 [N]; returns the row layout. */
function checkRows(op: string, logits: Tensor, targets: Tensor): { N: number; V: number } {
  expectTensor(op, 'logits', logits, [-1, -1]);
  const [N, V] = logits.shape;
  if (V === 0) throw new ShapeError(`${op}: logits ${logits} has an empty vocabulary axis`);
  expectTensor(op, 'targets', targets, [N], 'i32');
  return { N, V };
}

function checkTemperature(op: string, temperature: number): void {
  if (!(temperature > 0 && Number.isFinite(temperature))) {
    throw new ShapeError(`${op}: temperature must be a positive finite number, got ${temperature}`);
  }
}

export function checkTokenLogprobs(logits: Tensor, targets: Tensor, logp: Tensor, entropy: Tensor | null, temperature: number) {
  const op = 'tokenLogprobs';
  const rows = checkRows(op, logits, targets);
  expectTensor(op, 'logp', logp, [rows.N]);
  if (entropy) expectTensor(op, 'entropy', entropy, [rows.N]);
  checkTemperature(op, temperature);
  return rows;
}

export function checkTokenLogprobsBackward(
  logits: Tensor,
  targets: Tensor,
  dlogp: Tensor,
  dentropy: Tensor | null,
  dlogits: Tensor,
  temperature: number,
) {
  const op = 'tokenLogprobsBackward';
  const rows = checkRows(op, logits, targets);
  expectTensor(op, 'dlogp', dlogp, [rows.N]);
  if (dentropy) expectTensor(op, 'dentropy', dentropy, [rows.N]);
  expectTensor(op, 'dlogits', dlogits, logits.shape);
  checkTemperature(op, temperature);
  return rows;
}

export function checkCrossEntropy(logits: Tensor, targets: Tensor, weights: Tensor, loss: Tensor, dlogits: Tensor) {
  const op = 'crossEntropy';
  const rows = checkRows(op, logits, targets);
  expectTensor(op, 'weights', weights, [rows.N]);
  expectTensor(op, 'loss', loss, [rows.N]);
  expectTensor(op, 'dlogits', dlogits, logits.shape);
  return rows;
}
