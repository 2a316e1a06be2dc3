/**
 * Composite reward: a weighted sum of named components, each logged separately (TRL's rewards/{name}/mean|std).
 *   correct   the task's rule verifier (1 when the extracted answer is correct)
 *   format    1 when an answer can be extracted at all
 *   length    −(completion length / max length), a push toward short answers
 *   overlong  DAPO's soft overlong punishment over the last `overlongCache` tokens
 *   judge     the (biased) judge's score, for reward-hacking demos
 *   model_judge  P(yes) of a frozen ONNX judge model (src/rl/judges/modelJudge.ts), when one is loaded
 *   think_easy   −(think tokens / max length) on easy prompts only (tasks with an easy/hard split): overthinking's price
 */
import { biasedScore, type BiasedJudgeSettings } from './judges/biased';
import { easyThinkPenalty, lengthPenalty, softOverlong } from './judges/rules';
import { verdict, type Verdict } from './judges/verdict';
import { thinkTokens } from './reasoning/thinkBudget';
import type { Task, TaskInstance } from './tasks/types';

export type RewardName = 'correct' | 'format' | 'length' | 'overlong' | 'judge' | 'model_judge' | 'think_easy';
export const REWARD_NAMES: readonly RewardName[] = ['correct', 'format', 'length', 'overlong', 'judge', 'model_judge', 'think_easy'];

/** Scores a prompt + completion asynchronously (an ONNX judge model). */
export type AsyncJudge = (prompt: string, completion: string) => Promise<Verdict>;

export interface RewardConfig {
  /** Weight per component; components with weight 0 are not computed. */
  weights: Partial<Record<RewardName, number>>;
  overlongCache: number;
  judge: BiasedJudgeSettings;
}

export interface ScoredCompletion {
  answer: string | null;
  correct: boolean;
  /** Weighted sum of the components. */
  reward: number;
  /** Unweighted component values. */
  parts: Partial<Record<RewardName, number>>;
  verdicts: Partial<Record<RewardName, Verdict>>;
}

export async function scoreCompletion(
  task: Task,
  instance: TaskInstance,
  completion: string,
  length: number,
  maxLength: number,
  cfg: RewardConfig,
  call = 0,
  modelJudge?: AsyncJudge,
): Promise<ScoredCompletion> {
  const answer = task.extractAnswer(completion);
  const check = task.verify(answer, instance);
  const correct = check.score === 1;
  const verdicts: Partial<Record<RewardName, Verdict>> = {};
  for (const name of REWARD_NAMES) {
    if (!cfg.weights[name]) continue;
    if (name === 'correct') verdicts.correct = check;
    else if (name === 'format') verdicts.format = answer === null ? verdict(0, 'no answer', 'nothing to extract') : verdict(1, 'answer found', `extracted "${answer}"`);
    else if (name === 'length') verdicts.length = lengthPenalty(length, maxLength, 1);
    else if (name === 'overlong') verdicts.overlong = softOverlong(length, maxLength, cfg.overlongCache);
    else if (name === 'judge') verdicts.judge = biasedScore(completion, correct, cfg.judge, call);
    else if (name === 'think_easy') verdicts.think_easy = easyThinkPenalty(thinkTokens(completion), maxLength, instance.split);
    else if (!modelJudge) throw new Error('rewards: model_judge has a weight but no judge model is loaded');
    else verdicts.model_judge = await modelJudge(instance.prompt, completion);
  }
  const parts: Partial<Record<RewardName, number>> = {};
  let reward = 0;
  for (const [name, v] of Object.entries(verdicts) as Array<[RewardName, Verdict]>) {
    parts[name] = v.score;
    reward += (cfg.weights[name] ?? 0) * v.score;
  }
  return { answer, correct, reward, parts, verdicts };
}
