/**
 * A small reverse-mode tape over backend kernels (micrograd's topo-order idea, llm.c's explicit kernels).
 *
 * Ops (ops.ts) allocate their outputs from the graph, run the forward kernel, and — when an input needs a
 * gradient — push a closure that runs the backward kernels, which ACCUMULATE into gradient tensors. Because ops
 * are recorded in execution order, running the closures in reverse is a valid topological order. On the webgpu
 * backend nothing here reads back: a whole forward + backward is recorded into one command encoder.
 *
 * Parameters get their gradient buffers from the caller (`param(t, grad)`), so an optimizer owns them across
 * steps and zeroes them once per step; intermediates and their gradients belong to the graph and go back to
 * the backend's pool on `dispose()`.
 */
import type { Backend } from './backend';
import type { Shape } from './shape';
import { viewAs, type DType, type Tensor } from './tensor';

export class Graph {
  private readonly tape: Array<() => void> = [];
  private readonly grads = new Map<Tensor, Tensor>();
  private readonly tracked = new Set<Tensor>();
  private readonly owned: Tensor[] = [];
  private backwardDone = false;
  /** The tensor `backward` was seeded from (ops that must be the root check it). */
  root: Tensor | null = null;

  /** `grad: false` builds a forward-only graph (inference, rollouts): nothing is recorded. */
  constructor(
    readonly be: Backend,
    readonly gradEnabled = true,
  ) {}

  /** Mark a leaf as trainable; its gradient accumulates into `grad` (same shape), which the caller owns. */
  param(t: Tensor, grad: Tensor): Tensor {
    if (grad.numel !== t.numel) throw new Error(`param ${t.label}: gradient ${grad} does not match ${t}`);
    if (this.gradEnabled) {
      this.tracked.add(t);
      this.grads.set(t, grad);
    }
    return t;
  }

  requiresGrad(t: Tensor): boolean {
    return this.tracked.has(t);
  }

  /** A graph-owned tensor, returned to the backend's pool on dispose. */
  alloc(shape: Shape, dtype: DType = 'f32', label?: string): Tensor {
    const t = this.be.zeros(shape, dtype, label);
    this.owned.push(t);
    return t;
  }

  /** A graph-owned tensor filled from host data (token ids, masks, weights of a batch). */
  input(data: ArrayLike<number>, shape: Shape, dtype: DType = 'f32', label?: string): Tensor {
    const t = this.be.fromArray(data, shape, dtype, label);
    this.owned.push(t);
    return t;
  }

  /**
   * The same data with another shape. Its gradient is a view of the source's gradient, so whatever
   * accumulates into one lands in the other and no copy or tape entry is needed.
   */
  view(t: Tensor, shape: Shape): Tensor {
    const v = viewAs(t, shape);
    if (this.tracked.has(t)) {
      this.tracked.add(v);
      this.grads.set(v, viewAs(this.grad(t), shape));
    }
    return v;
  }

  /** The gradient buffer of a tracked tensor, allocated zeroed on first use. */
  grad(t: Tensor): Tensor {
    let g = this.grads.get(t);
    if (!g) {
      if (!this.tracked.has(t)) throw new Error(`grad: ${t} does not require a gradient`);
      g = this.alloc(t.shape, 'f32', `d${t.label}`);
      this.grads.set(t, g);
    }
    return g;
  }

  /**
   * Record the backward of an op producing `out` from `inputs`. `backward` runs only if some input needs a
   * gradient; it receives a function giving the gradient buffer of an input, or null when that input needs none.
   */
  record(inputs: readonly Tensor[], out: Tensor, backward: (gradOf: (t: Tensor) => Tensor | null) => void): void {
    if (!this.gradEnabled || !inputs.some((t) => this.tracked.has(t))) return;
    this.tracked.add(out);
    this.tape.push(() => backward((t) => (this.tracked.has(t) ? this.grad(t) : null)));
  }

  /** Seed d(root) = 1 (every element) and run the tape backwards. Runs once per graph. */
  backward(root: Tensor): void {
    if (this.backwardDone) throw new Error('backward: this graph was already differentiated');
    if (!this.tracked.has(root)) throw new Error(`backward: ${root} does not depend on any parameter`);
    this.backwardDone = true;
    this.root = root;
    this.be.fill(this.grad(root), 1);
    for (let i = this.tape.length - 1; i >= 0; i--) this.tape[i]();
  }

  /** Release every graph-owned tensor (outputs of ops and intermediate gradients) back to the backend. */
  dispose(): void {
    for (const t of this.owned) this.be.release(t);
    this.owned.length = 0;
    this.tape.length = 0;
  }
}
