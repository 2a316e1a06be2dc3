/**
 * The `j1` algorithm: the run's warm-started policy answers task prompts, and a J1 judge (j1Judge.ts) learns
 * with GRPO which of two answers is correct. The policy does not train; it is the source of pairs (pool rebuilt
 * from fresh answers every j1.pool_refresh judge iterations). The first step builds the pools and warms the judge
 * up by SFT; every step is one judge GRPO iteration. Held-out pairs are judged greedily in evaluate().
 */
import { scheduledActivation, type FfnActivation } from '../../model/config';
import type { Metrics, IterationResult, Trainer, TrainerState } from '../trainer';
import type { TrainerContext } from '../trainers';
import { J1Judge, type PolicySource } from './j1Judge';

/** The judge's weights and optimiser state in TrainerState.models. */
export const J1_JUDGE_MODEL = 'judge';

export class J1Trainer implements Trainer {
  private judge: J1Judge | null = null;
  private pending: TrainerState | null = null;

  constructor(readonly c: TrainerContext) {}

  get iteration(): number {
    return this.pending?.iteration ?? this.judge?.grpo.iteration ?? 0;
  }

  async step(): Promise<IterationResult> {
    const t0 = performance.now();
    const { judge, warmUp } = await this.ready();
    const cfg = this.c.run.j1;
    const iteration = judge.grpo.iteration;
    // The warmed-up judge before any GRPO: the values the held-out and pool curves start from.
    const start = warmUp !== null ? await judge.evaluateBoth('j1/warmup_') : {};
    if (cfg.pool_refresh > 0 && iteration > 0 && iteration % cfg.pool_refresh === 0) await judge.refreshPool(iteration / cfg.pool_refresh);
    const { metrics, rollouts } = await judge.train();
    // The judge's reward, loss and entropy under the generic names too, so those charts show the judge's.
    const generic = { reward: metrics['j1/reward'], loss: metrics['j1/loss'], grad_norm: metrics['j1/grad_norm'], entropy: metrics['j1/entropy'] };
    const out: Metrics = { step: iteration + 1, ...metrics, ...start, ...generic, step_time: (performance.now() - t0) / 1000 };
    if (warmUp !== null) out['j1/sft_loss'] = warmUp;
    return { metrics: out, rollouts };
  }

  async evaluate(): Promise<{ metrics: Metrics }> {
    const { judge } = await this.ready();
    return { metrics: await judge.evaluateBoth() };
  }

  async saveState(): Promise<TrainerState> {
    if (this.pending) return this.pending;
    if (!this.judge) throw new Error('j1: nothing to save before the first iteration');
    const models = await this.judge.grpo.saveModels(J1_JUDGE_MODEL);
    const counters = models[`${J1_JUDGE_MODEL}/counters`];
    return { iteration: this.judge.grpo.iteration, optimizerSteps: counters.get('optimizerSteps')![0], rngPosition: 0, optimizer: { steps: 0, moments: new Map() }, frozen: null, models };
  }

  /** The judge is rebuilt on the next step (same pools: the policy is fixed), then takes the saved weights. */
  loadState(state: TrainerState): void {
    if (!state.models?.[J1_JUDGE_MODEL]) throw new Error('j1: the saved state has no judge model (was it saved by another algorithm?)');
    this.pending = state;
  }

  activationAt(iteration: number): FfnActivation {
    return scheduledActivation(this.c.policy.config, iteration, this.c.run.iterations);
  }

  /** The judge, built and warmed up on first use (or restored from a loaded state); warmUp is the SFT loss then. */
  private async ready(): Promise<{ judge: J1Judge; warmUp: number | null }> {
    if (this.judge) return { judge: this.judge, warmUp: null };
    const src: PolicySource = { be: this.c.be, policy: this.c.policy, tokenizer: this.c.tokenizer, task: this.c.task, difficulty: this.c.run.difficulty, grpo: this.c.run.grpo, seed: this.c.run.seed };
    const judge = await J1Judge.create(src, this.c.run.j1, this.c.run.iterations);
    let warmUp: number | null = null;
    if (this.pending) {
      judge.grpo.loadModels(this.pending.models, J1_JUDGE_MODEL);
      const refresh = this.c.run.j1.pool_refresh;
      const rebuild = refresh > 0 ? Math.floor(Math.max(0, judge.grpo.iteration - 1) / refresh) : 0;
      if (rebuild > 0) await judge.refreshPool(rebuild);
      this.pending = null;
    } else {
      warmUp = await judge.warmUp();
    }
    this.judge = judge;
    return { judge, warmUp };
  }
}
