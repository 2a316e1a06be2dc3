/**
 * The `onpolicy-rm` algorithm (RLLM in the Principia report, arXiv 2603.18886; docs/judges.md): the policy
 * trains with GRPO, and its `model_judge` reward is a J1 judge trained here — pairwise against a pivot answer of
 * the same group, in both orders (pivotRewardJudge), inside the engine with no ONNX round trip. Every
 * onpolicy_rm.refresh_every policy iterations the judge is refreshed: pairs from the rollouts the policy just
 * trained on (onPolicyPairs), then onpolicy_rm.refresh_iterations J1 GRPO iterations on them.
 * The judge's score (rewards/model_judge/mean) and the verifier's (accuracy_train) are both logged, so the
 * reward-hacking read-out shows when the policy starts to please the judge rather than solve the task.
 */
import { Rng } from '../../engine/rng';
import { J1_PIVOT_STREAM, J1_POOL_STREAM } from '../../engine/streams';
import type { FfnActivation } from '../../model/config';
import { GrpoTrainer } from '../grpo/trainer';
import { mean } from '../grpo/metrics';
import type { AsyncJudge } from '../rewards';
import type { IterationResult, Metrics, Trainer, TrainerState } from '../trainer';
import type { TrainerContext } from '../trainers';
import { groupsFromRollouts, J1Judge, j1MetricEntries, type J1Step, type PolicySource } from './j1Judge';
import type { JudgePair } from './j1';
import { judgeSeed } from './judgeModel';
import { onPolicyPairs, pivotRewardJudge } from './onPolicy';
import type { TextJudge } from './textJudge';
import { J1_JUDGE_MODEL } from './j1Trainer';

export class OnPolicyRmTrainer implements Trainer {
  private readonly policyTrainer: GrpoTrainer;
  private judge: J1Judge | null = null;
  private pendingJudge: TrainerState['models'] | null = null;
  /** The reward of the current iteration (its pivots are drawn on the iteration's split of the pivot stream). */
  private reward: AsyncJudge | null = null;

  constructor(readonly c: TrainerContext) {
    const { run } = c;
    const judgeReward: AsyncJudge = (prompt, completion) => {
      if (!this.reward) throw new Error('onpolicy-rm: the judge reward was asked for outside an iteration');
      return this.reward(prompt, completion);
    };
    this.policyTrainer = new GrpoTrainer(c.be, c.policy, c.tokenizer, c.task, run.difficulty, run.grpo, run.rewards, run.seed, run.iterations, judgeReward);
  }

  get iteration(): number {
    return this.policyTrainer.iteration;
  }

  /** The pairs the judge last trained on (after a refresh: from the policy's rollouts of that iteration). */
  get judgePool(): readonly JudgePair[] {
    return this.judge?.poolPairs ?? [];
  }

  async step(): Promise<IterationResult> {
    const { judge, warmUp } = await this.ready();
    const { onpolicy_rm: rm, grpo } = this.c.run;
    const iteration = this.policyTrainer.iteration;
    const seed = judgeSeed(this.c.run.seed);
    this.reward = groupPivotJudge(judge.textJudge(), grpo.num_generations, new Rng(seed, J1_PIVOT_STREAM).split(iteration));
    const result = await this.policyTrainer.step();
    this.reward = null;
    const metrics: Metrics = { ...result.metrics };
    if (warmUp !== null) metrics['j1/sft_loss'] = warmUp;
    if ((iteration + 1) % rm.refresh_every === 0 && rm.refresh_iterations > 0) {
      const built = onPolicyPairs(groupsFromRollouts(result.rollouts), new Rng(seed, J1_POOL_STREAM).split(iteration + 1), { pairing: rm.pairing, maxPromptChars: judge.maxPromptChars });
      metrics['rm/refresh_pairs'] = built.pairs.length;
      if (built.pairs.length >= this.c.run.j1.pairs_per_batch) {
        judge.setPool(built.pairs);
        const steps: J1Step[] = [];
        for (let i = 0; i < rm.refresh_iterations; i++) steps.push(await judge.train());
        for (const key of Object.keys(steps[0].metrics)) metrics[key] = mean(steps.map((s) => s.metrics[key]));
      }
    }
    return { ...result, metrics };
  }

  async evaluate(): Promise<{ metrics: Metrics }> {
    const { judge } = await this.ready();
    return { metrics: j1MetricEntries(await judge.evaluate(judge.heldOut), 'j1/heldout_') };
  }

  async saveState(): Promise<TrainerState> {
    const state = await this.policyTrainer.saveState();
    const models = this.judge ? await this.judge.grpo.saveModels(J1_JUDGE_MODEL) : this.pendingJudge;
    if (!models) throw new Error('onpolicy-rm: nothing to save before the first iteration');
    return { ...state, models };
  }

  loadState(state: TrainerState): void {
    if (!state.models?.[J1_JUDGE_MODEL]) throw new Error('onpolicy-rm: the saved state has no judge model (was it saved by another algorithm?)');
    this.policyTrainer.loadState(state);
    this.pendingJudge = state.models;
    this.judge = null;
  }

  activationAt(iteration: number): FfnActivation {
    return this.policyTrainer.activationAt(iteration);
  }

  /**
   * The judge: sampled pools and SFT warm-up from the warm-started policy on first use, or a restored one. After a
   * resume its held-out pairs are drawn from the policy as it is then (the warm-started policy is gone), so the
   * judge's held-out numbers continue on a new set; training is exact (it only uses the refreshes' pairs).
   */
  private async ready(): Promise<{ judge: J1Judge; warmUp: number | null }> {
    if (this.judge) return { judge: this.judge, warmUp: null };
    const { run } = this.c;
    const src: PolicySource = { be: this.c.be, policy: this.c.policy, tokenizer: this.c.tokenizer, task: this.c.task, difficulty: run.difficulty, grpo: run.grpo, seed: run.seed };
    const refreshes = Math.ceil(run.iterations / run.onpolicy_rm.refresh_every);
    const judge = await J1Judge.create(src, run.j1, Math.max(1, refreshes * run.onpolicy_rm.refresh_iterations));
    let warmUp: number | null = null;
    if (this.pendingJudge) {
      judge.grpo.loadModels(this.pendingJudge, J1_JUDGE_MODEL);
      this.pendingJudge = null;
    } else {
      warmUp = await judge.warmUp();
    }
    this.judge = judge;
    return { judge, warmUp };
  }
}

/**
 * The judge as the policy's reward, pairwise against one pivot per group: the reward function is asked for
 * each completion separately (src/rl/rewards.ts), so a prompt's calls wait until all G of its completions are
 * in, then one of them is drawn as the pivot and every completion is scored against it (pivotRewardJudge).
 * A prompt drawn twice in a batch fills two groups of G in turn.
 */
export function groupPivotJudge(judge: TextJudge, G: number, rng: Rng): AsyncJudge {
  const waiting = new Map<string, Array<{ completion: string; resolve: (v: Awaited<ReturnType<AsyncJudge>>) => void; reject: (e: unknown) => void }>>();
  return (prompt, completion) =>
    new Promise((resolve, reject) => {
      const group = waiting.get(prompt) ?? [];
      group.push({ completion, resolve, reject });
      waiting.set(prompt, group);
      if (group.length < G) return;
      waiting.delete(prompt);
      const score = pivotRewardJudge(judge, new Map([[prompt, group[rng.int(G)].completion]]));
      for (const m of group) score(prompt, m.completion).then(m.resolve, m.reject);
    });
}
