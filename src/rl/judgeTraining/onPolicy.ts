/**
 * An on-policy reward model (the RLLM recipe of the Principia report, arXiv 2603.18886, which trains the judge
 * the J1 way, arXiv 2505.10320, on the policy's own fresh samples; docs/judges.md). Two halves:
 * - data: judge pairs built from one batch of policy rollouts, score-balanced (each rollout used at most once,
 *   as many correct as incorrect answers, the correct one first in exactly half the pairs before both orders are
 *   added), or "pivot" pairs (every rollout against one random rollout of its group: G − 1 pairs, not G²);
 *   pointwise instances, balanced the same way, for a judge that grades one answer;
 * - reward: a trained judge, seen as text in → text out, turned into the policy's reward in the AsyncJudge
 *   contract of src/rl/rewards.ts (`model_judge`): pairwise against the group's pivot, or pointwise.
 *
 * Pointwise format: prompt `${problem}A${answer}|`, output `${reasoning}[[Y]]` (correct) or `[[N]]`; the
 * demonstration's reasoning is the judge's own result, as for J1.
 */
import type { Rng } from '../../engine/rng';
import { verdict, type Verdict } from '../judges/verdict';
import type { AsyncJudge } from '../rewards';
import type { TaskInstance } from '../tasks/types';
import { judgeTask, type DatasetTask } from './datasetTask';
import type { TextJudge } from './textJudge';
import { j1Prompt, parseBracketVerdict, parseJ1Verdict, placePair, type JudgePair, type PolicyGroup } from './j1';

export type OnPolicyPairing = 'balanced' | 'pivot';

export interface OnPolicyPairs {
  pairs: JudgePair[];
  /** Prompts whose rollouts are all correct or all incorrect. */
  skippedOneKind: number;
  /** Pivot pairs of two answers equally correct: no preference to learn. */
  skippedTies: number;
  skippedTooLong: number;
  /** Pairs with the correct answer shown first / second in order ab (balanced by construction). */
  chosenFirst: number;
  chosenSecond: number;
}

export function onPolicyPairs(groups: readonly PolicyGroup[], rng: Rng, opts: { pairing: OnPolicyPairing; maxPromptChars: number }, firstId = 0): OnPolicyPairs {
  const out: OnPolicyPairs = { pairs: [], skippedOneKind: 0, skippedTies: 0, skippedTooLong: 0, chosenFirst: 0, chosenSecond: 0 };
  const add = (g: PolicyGroup, chosen: string, rejected: string) => {
    // Alternate the correct answer's position over the whole batch, so the two positions stay balanced.
    const first = (out.chosenFirst + out.chosenSecond + out.skippedTooLong) % 2 === 0;
    const pair = placePair(g, chosen, rejected, first, opts.maxPromptChars);
    if (!pair) return void out.skippedTooLong++;
    out.pairs.push({ id: firstId + out.pairs.length, ...pair });
    if (first) out.chosenFirst++;
    else out.chosenSecond++;
  };
  for (const g of groups) {
    const good = shuffled(g.answers.filter((x) => x.correct), rng);
    const bad = shuffled(g.answers.filter((x) => !x.correct), rng);
    if (!good.length || !bad.length) {
      out.skippedOneKind++;
      continue;
    }
    if (opts.pairing === 'balanced') {
      for (let i = 0; i < Math.min(good.length, bad.length); i++) add(g, good[i].completion, bad[i].completion);
      continue;
    }
    const p = rng.int(g.answers.length);
    const pivot = g.answers[p];
    g.answers.forEach((x, i) => {
      if (i === p) return;
      if (x.correct === pivot.correct) out.skippedTies++;
      else if (x.correct) add(g, x.completion, pivot.completion);
      else add(g, pivot.completion, x.completion);
    });
  }
  return out;
}

function shuffled<T>(xs: readonly T[], rng: Rng): T[] {
  return rng.permutation(xs.length).map((i) => xs[i]);
}

/** Characters the pointwise format reserves. */
export const POINTWISE_MARKERS = 'AYN|[]';

export interface PointwiseInstance extends TaskInstance {
  answer: 'Y' | 'N';
}

export function pointwisePrompt(problem: string, answer: string): string {
  return `${problem}A${answer}|`;
}

/**
 * Pointwise judge instances from a batch of rollouts, score-balanced: per prompt, as many correct answers as
 * incorrect ones (min of the two counts each, drawn at random).
 */
export function pointwiseInstances(groups: readonly PolicyGroup[], rng: Rng, maxPromptChars: number): PointwiseInstance[] {
  return groups.flatMap((g) => {
    const good = shuffled(g.answers.filter((x) => x.correct), rng);
    const bad = shuffled(g.answers.filter((x) => !x.correct), rng);
    const n = Math.min(good.length, bad.length);
    return [...good.slice(0, n), ...bad.slice(0, n)]
      .map((x): PointwiseInstance => ({ prompt: pointwisePrompt(g.problem, x.completion), answer: x.correct ? 'Y' : 'N', demonstration: `${g.gold}[[${x.correct ? 'Y' : 'N'}]]` }))
      .filter((inst) => inst.prompt.length <= maxPromptChars);
  });
}

export function pointwiseTask(policyAlphabet: string, instances: readonly PointwiseInstance[]): DatasetTask<PointwiseInstance> {
  return judgeTask({
    name: 'pointwise-judge',
    title: 'Pointwise judge',
    description: 'Is this policy answer correct? Reason, then [[Y]] or [[N]].',
    markers: POINTWISE_MARKERS,
    policyAlphabet,
    instances,
    extractAnswer: (c) => parseBracketVerdict(c, ['Y', 'N']).letter,
    malformed: 'no single [[Y]] or [[N]] verdict at the end',
    explain: (answer, inst) => `graded ${answer}; the answer is ${inst.answer === 'Y' ? 'correct' : 'incorrect'}`,
  });
}

/**
 * A completion scored against a pivot answer in both orders: 1 when the judge prefers it in both, 0 when it
 * prefers the pivot in both, ½ when the orders disagree; an unreadable verdict counts as not preferring it.
 */
export async function pairwiseScore(judge: TextJudge, problem: string, completion: string, pivot: string): Promise<Verdict> {
  const [first, second] = await Promise.all([judge(j1Prompt(problem, completion, pivot)), judge(j1Prompt(problem, pivot, completion))]);
  const v1 = parseJ1Verdict(first), v2 = parseJ1Verdict(second);
  const win1 = v1.letter === 'A' ? 1 : 0, win2 = v2.letter === 'B' ? 1 : 0;
  const score = (win1 + win2) / 2;
  const say = (v: typeof v1, shown: 'A' | 'B') => (v.letter === null ? `unreadable (${v.reason})` : v.letter === shown ? 'preferred it' : 'preferred the pivot');
  const why = `shown first: ${say(v1, 'A')}; shown second: ${say(v2, 'B')}`;
  return verdict(score, score === 1 ? 'preferred' : score === 0 ? 'dispreferred' : 'split', why, { firstOrder: win1, secondOrder: win2 });
}

/** One random pivot per prompt among its group's completions. */
export function choosePivots(groups: ReadonlyArray<{ prompt: string; completions: readonly string[] }>, rng: Rng): Map<string, string> {
  return new Map(groups.map((g) => {
    if (!g.completions.length) throw new Error(`pivot: the prompt "${g.prompt}" has no completions`);
    return [g.prompt, g.completions[rng.int(g.completions.length)]];
  }));
}

/** The judge as the policy's `model_judge` reward, pairwise against each prompt's pivot (choosePivots). */
export function pivotRewardJudge(judge: TextJudge, pivots: ReadonlyMap<string, string>): AsyncJudge {
  return async (prompt, completion) => {
    const pivot = pivots.get(prompt);
    if (pivot === undefined) throw new Error(`pivot judge: no pivot was chosen for the prompt "${prompt}"`);
    return pairwiseScore(judge, prompt, completion, pivot);
  };
}

/** The judge as the policy's `model_judge` reward, pointwise: 1 for [[Y]], 0 for [[N]] or an unreadable verdict. */
export function pointwiseRewardJudge(judge: TextJudge): AsyncJudge {
  return async (prompt, completion) => {
    const v = parseBracketVerdict(await judge(pointwisePrompt(prompt, completion)), ['Y', 'N']);
    if (v.letter === null) return verdict(0, 'malformed', `judge verdict unreadable: ${v.reason}`);
    return verdict(v.letter === 'Y' ? 1 : 0, v.letter === 'Y' ? 'accept' : 'reject', `judge reasoned "${v.reasoning}", then [[${v.letter}]]`);
  };
}
