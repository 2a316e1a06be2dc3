/**
 * Supervised fine-tuning on demonstrations: the loss is the cross-entropy of the completion tokens only
 * (prompt tokens have weight 0), averaged over the completion tokens of the batch; AdamW with warm-up + cosine
 * schedule and global-norm clipping. One step is one recorded submission; its loss and gradient norm are read
 * after it. Deterministic for a seed on a given backend.
 */
import { Graph } from '../engine/autograd';
import type { Backend } from '../engine/backend';
import { crossEntropy } from '../engine/ops/loss';
import { AdamW, assertFiniteStep, type AdamWState } from '../engine/optim';
import { warmupCosine } from '../engine/schedule';
import { scheduledActivation, type FfnActivation } from './config';
import { BOS, EOS, PAD, type CharTokenizer } from './tokenizer';
import type { Transformer } from './transformer';

export interface Demonstration {
  prompt: string;
  completion: string;
}

export interface SftOptions {
  steps: number;
  lr: number;
  warmupSteps: number;
  /** Floor of the cosine decay as a fraction of lr. */
  minLrRatio: number;
  maxGradNorm: number;
  weightDecay: number;
}

export const DEFAULT_SFT: SftOptions = { steps: 200, lr: 3e-3, warmupSteps: 10, minLrRatio: 0.1, maxGradNorm: 1, weightDecay: 0.01 };

export interface SftBatch {
  B: number;
  T: number;
  ids: Int32Array;
  targets: Int32Array;
  positions: Int32Array;
  weights: Float32Array;
}

/** Teacher-forcing batch: inputs BOS+prompt+completion, targets shifted by one, weight on completion+EOS only. */
export function buildSftBatch(tok: CharTokenizer, demos: Demonstration[]): SftBatch {
  const seqs = demos.map((d) => ({ ids: [BOS, ...tok.encode(d.prompt), ...tok.encode(d.completion), EOS], answerFrom: 1 + [...d.prompt].length }));
  const T = Math.max(...seqs.map((s) => s.ids.length)) - 1;
  const B = seqs.length;
  const ids = new Int32Array(B * T).fill(PAD), targets = new Int32Array(B * T).fill(PAD);
  const positions = new Int32Array(B * T), weights = new Float32Array(B * T);
  let answerTokens = 0;
  seqs.forEach((s, b) => {
    for (let t = 0; t < T; t++) {
      positions[b * T + t] = t;
      if (t + 1 >= s.ids.length) continue;
      ids[b * T + t] = s.ids[t];
      targets[b * T + t] = s.ids[t + 1];
      if (t + 1 >= s.answerFrom) {
        weights[b * T + t] = 1;
        answerTokens++;
      }
    }
  });
  for (let i = 0; i < weights.length; i++) weights[i] /= answerTokens;
  return { B, T, ids, targets, positions, weights };
}

export interface SftStepMetrics {
  step: number;
  loss: number;
  gradNorm: number;
  lr: number;
}

export class SftTrainer {
  private readonly opt: AdamW;
  private stepCount = 0;

  constructor(
    readonly be: Backend,
    readonly model: Transformer,
    readonly tokenizer: CharTokenizer,
    readonly opts: SftOptions = DEFAULT_SFT,
    /** FFN activation for every step; by default the model's, switched to RELU for its Swi+FT fraction. */
    readonly activation?: FfnActivation,
  ) {
    this.opt = new AdamW(be, model.optimizerParams(), { weightDecay: opts.weightDecay });
  }

  async step(demos: Demonstration[]): Promise<SftStepMetrics> {
    const { be, model } = this;
    const batch = buildSftBatch(this.tokenizer, demos);
    const lr = warmupCosine(this.stepCount, { lr: this.opts.lr, warmupSteps: this.opts.warmupSteps, totalSteps: this.opts.steps, minLrRatio: this.opts.minLrRatio });
    const g = new Graph(be);
    model.zeroGrads(be);
    const { logits } = model.forward(g, g.input(batch.ids, [batch.B, batch.T], 'i32'), g.input(batch.positions, [batch.B, batch.T], 'i32'), {
      activation: this.activation ?? scheduledActivation(model.config, this.stepCount, this.opts.steps),
    });
    const rows = crossEntropy(g, logits, g.input(batch.targets, [batch.B * batch.T], 'i32'), g.input(batch.weights, [batch.B * batch.T]));
    g.backward(rows);
    this.opt.step({ lr, maxGradNorm: this.opts.maxGradNorm });
    const [lossRows, stats] = await Promise.all([be.read(rows), be.read(this.opt.stats)]);
    g.dispose();
    this.stepCount++;
    const loss = Array.from(lossRows).reduce((a, b) => a + b, 0);
    assertFiniteStep(`SFT step ${this.stepCount}`, loss, stats[0], `Lower the warm-start learning rate (${lr.toExponential(1)} at this step), then start again`);
    return { step: this.stepCount, loss, gradNorm: stats[0], lr };
  }

  /** The optimizer's state, whose step count is this trainer's (to continue a training later, e.g. a distilled student's). */
  saveState(): Promise<AdamWState> {
    return this.opt.saveState();
  }

  loadState(state: AdamWState): void {
    this.opt.loadState(state);
    this.stepCount = state.steps;
  }
}
