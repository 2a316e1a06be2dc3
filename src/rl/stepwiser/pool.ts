/**
 * The StepWiser trainer's labelled steps (Xiong et al., arXiv 2508.19229; docs/judges.md "The StepWiser
 * trainer"): the policy solves problems, every step of each solution gets its Monte-Carlo value Q̂ from M
 * continuations and the three rule labels (src/rl/judges/stepwiser.ts), and the steps become judge examples under
 * the configured rule — balanced 50/50 when the config says so. The label balance of all three rules over the same
 * steps is kept for the "label balance per rule" read-out.
 */
import type { Backend } from '../../engine/backend';
import { generate } from '../../model/generate';
import type { CharTokenizer } from '../../model/tokenizer';
import type { Transformer } from '../../model/transformer';
import { stepValues, type StepValue } from '../judges/stepwiser';
import { balanceLabels, labelBalanceByRule, labelCounts, stepExamples, type LabelCounts, type StepExample, type StepRule } from '../judgeTraining/stepData';
import type { Rng } from '../../engine/rng';
import { groupedPrompts, samplingOptions, type SamplingSettings } from '../sampling';
import type { Task, TaskInstance } from '../tasks/types';
import { RULE_OF, type StepwiserConfig } from './config';

/** One policy solution with the value and labels of each of its steps. */
export interface LabelledSolution {
  instance: TaskInstance;
  completion: string;
  values: StepValue[];
}

export interface LabelSource {
  be: Backend;
  policy: Transformer;
  tokenizer: CharTokenizer;
  task: Task;
  sampling: SamplingSettings;
  cfg: StepwiserConfig;
  separator: string;
  /** Seed of the solutions' and continuations' draws; each solution's continuations get their own seed from it. */
  seed: number;
}

/**
 * One sampled solution per instance, on RNG stream `stream`, and the values of its steps. The continuations of
 * solution j draw under seed + j + 1, so no two solutions' Monte-Carlo draws are the same numbers.
 */
export async function labelledSolutions(src: LabelSource, instances: readonly TaskInstance[], stream: number): Promise<LabelledSolution[]> {
  const { be, policy, tokenizer: tok, task, sampling, cfg } = src;
  const rollouts = await generate(be, policy, groupedPrompts(tok, instances.map((i) => i.prompt), 1), samplingOptions(sampling, src.seed, stream));
  const out: LabelledSolution[] = [];
  for (const [j, instance] of instances.entries()) {
    const completion = tok.decode(rollouts[j].tokens);
    const values = await stepValues(be, policy, tok, task, instance, completion, {
      M: cfg.continuations,
      gamma: cfg.gamma,
      alpha: cfg.alpha,
      bestOf: cfg.best_of,
      maxNewTokens: sampling.max_completion_length,
      temperature: sampling.temperature,
      seed: (src.seed + j + 1) >>> 0,
      separator: src.separator,
    });
    out.push({ instance, completion, values });
  }
  return out;
}

export interface LabelledPool {
  /** The examples the judge trains on (balanced when the config balances). */
  examples: StepExample[];
  /** Counts under the configured rule before and after balancing. */
  before: LabelCounts;
  after: LabelCounts;
  /** Counts under every rule over the same steps. */
  byRule: Record<StepRule, LabelCounts>;
  /** Examples left out because the judge's prompt and answer would not fit its context. */
  tooLong: number;
}

/** The examples of labelled solutions under the configured rule, those that fit the judge, balanced when asked. */
export function labelledPool(solutions: readonly LabelledSolution[], cfg: StepwiserConfig, fits: (e: StepExample) => boolean, rng: Rng): LabelledPool {
  const all = solutions.flatMap((s) => stepExamples(s.instance.prompt, s.values, RULE_OF[cfg.rule]));
  const examples = all.filter(fits);
  const byRule = labelBalanceByRule(solutions.map((s) => s.values));
  if (!cfg.balance) {
    const counts = labelCounts(examples);
    return { examples, before: counts, after: counts, byRule, tooLong: all.length - examples.length };
  }
  const b = balanceLabels(examples, rng);
  return { examples: b.examples, before: b.before, after: b.after, byRule, tooLong: all.length - examples.length };
}
