/**
 * StepWiser step-judge data (Xiong et al., arXiv 2508.19229; docs/judges.md "StepWiser step judge"):
 * each step of a policy solution, with its Monte-Carlo label under one of the three rules (stepwiser.ts),
 * becomes an example "problem, previous steps, new step → Positive/Negative". The majority label is
 * down-sampled to 50/50 — without it the paper's judge learns to answer "Positive" always — and the balanced
 * examples form a verifiable task for a judge trained with GRPO.
 *
 * Formats (compact, for a judge context of ~48–64 characters):
 *   prompt   `${problem}${previous steps, each followed by the separator}>${new step}?`   e.g. "5+3*2=5+3=8;>8*2=16?"
 *   output   `${analysis}:P` (Positive) or `${analysis}:N` (Negative)                       e.g. "16:P"
 * The analysis is what the caller's `analyse` computes from the prompt alone (for the multi-step task, the
 * step's correct result: see multiStepAnalysis), so the demonstration teaches a skill the judge can learn.
 */
import type { Rng } from '../../engine/rng';
import type { StepValue } from '../judges/stepwiser';
import type { TaskInstance } from '../tasks/types';
import { judgeTask, type DatasetTask } from './datasetTask';

export type StepRule = 'absQ' | 'relRatio' | 'relEffective';
export const STEP_RULES: readonly StepRule[] = ['absQ', 'relRatio', 'relEffective'];
export type StepLabel = 'positive' | 'negative';

/** Characters the step-judge format reserves: they must not occur in the policy's alphabet. */
export const STEP_JUDGE_MARKERS = '>?:PN';
const VERDICT_CHAR: Record<StepLabel, string> = { positive: 'P', negative: 'N' };

export interface StepExample {
  problem: string;
  /** The steps before this one, without separators. */
  history: string[];
  step: string;
  label: StepLabel;
}

/** The labelled examples of one solution's steps under `rule`. */
export function stepExamples(problem: string, values: readonly Pick<StepValue, 'step' | StepRule>[], rule: StepRule): StepExample[] {
  return values.map((v, i) => ({
    problem,
    history: values.slice(0, i).map((w) => w.step),
    step: v.step,
    label: v[rule] ? 'positive' : 'negative',
  }));
}

export interface LabelCounts {
  positive: number;
  negative: number;
}

export function labelCounts(examples: readonly StepExample[]): LabelCounts {
  const positive = examples.filter((e) => e.label === 'positive').length;
  return { positive, negative: examples.length - positive };
}

/** Positive/negative counts under each rule over many solutions' step values (the "label balance per rule" read-out). */
export function labelBalanceByRule(solutions: ReadonlyArray<readonly Pick<StepValue, StepRule>[]>): Record<StepRule, LabelCounts> {
  const steps = solutions.flat();
  const count = (rule: StepRule) => {
    const positive = steps.filter((v) => v[rule]).length;
    return { positive, negative: steps.length - positive };
  };
  return { absQ: count('absQ'), relRatio: count('relRatio'), relEffective: count('relEffective') };
}

export interface Balanced {
  examples: StepExample[];
  before: LabelCounts;
  after: LabelCounts;
}

/**
 * Down-samples the majority label to the size of the minority (a seeded draw without replacement), keeping
 * the examples' original order. With one label absent nothing can be balanced and the result is empty.
 */
export function balanceLabels(examples: readonly StepExample[], rng: Rng): Balanced {
  const before = labelCounts(examples);
  const keep = Math.min(before.positive, before.negative);
  const majority: StepLabel = before.positive > before.negative ? 'positive' : 'negative';
  const majorityAt = examples.flatMap((e, i) => (e.label === majority ? [i] : []));
  const kept = new Set(rng.permutation(majorityAt.length).slice(0, keep).map((k) => majorityAt[k]));
  const out = keep === 0 ? [] : examples.filter((e, i) => e.label !== majority || kept.has(i));
  return { examples: out, before, after: labelCounts(out) };
}

/** What the judge is shown for a step. */
export function stepJudgePrompt(problem: string, history: readonly string[], step: string, separator: string): string {
  return `${problem}${history.map((h) => h + separator).join('')}>${step}?`;
}

export function stepJudgeOutput(analysis: string, label: StepLabel): string {
  return `${analysis}:${VERDICT_CHAR[label]}`;
}

/** The label at the end of a step judge's output (`…:P` or `…:N`), or null with the reason. */
export function parseStepVerdict(output: string): { label: StepLabel; analysis: string } | { label: null; reason: string } {
  const m = /:([PN])$/.exec(output);
  if (!m) return { label: null, reason: output.length ? `does not end with ":P" or ":N" ("${output.slice(-8)}")` : 'empty output' };
  const analysis = output.slice(0, m.index);
  if (/:[PN]/.test(analysis)) return { label: null, reason: 'more than one verdict' };
  return { label: m[1] === 'P' ? 'positive' : 'negative', analysis };
}

export interface StepJudgeInstance extends TaskInstance {
  label: StepLabel;
}

/** What the demonstration's analysis writes for a step, from what the judge is shown (never from the label). */
export type StepAnalysis = (problem: string, history: readonly string[], step: string) => string;

export interface StepJudgeTaskOptions {
  policyAlphabet: string;
  separator: string;
  analyse: StepAnalysis;
}

export function stepJudgeInstance(e: StepExample, opts: Pick<StepJudgeTaskOptions, 'separator' | 'analyse'>): StepJudgeInstance {
  return {
    prompt: stepJudgePrompt(e.problem, e.history, e.step, opts.separator),
    answer: VERDICT_CHAR[e.label],
    label: e.label,
    demonstration: stepJudgeOutput(opts.analyse(e.problem, e.history, e.step), e.label),
  };
}

/** The step judge's task: reward 1 when its verdict matches the example's Monte-Carlo label. */
export function stepJudgeTask(examples: readonly StepExample[], opts: StepJudgeTaskOptions): DatasetTask<StepJudgeInstance> {
  return judgeTask({
    name: 'step-judge',
    title: 'StepWiser step judge',
    description: 'Is this new step of a solution good (Positive) or bad (Negative)? Analyse, then :P or :N.',
    markers: STEP_JUDGE_MARKERS,
    policyAlphabet: opts.policyAlphabet,
    instances: examples.map((e) => stepJudgeInstance(e, opts)),
    extractAnswer(completion) {
      const parsed = parseStepVerdict(completion);
      return parsed.label === null ? null : VERDICT_CHAR[parsed.label];
    },
    malformed: 'no single ":P" or ":N" verdict at the end',
    explain: (answer, inst) => `judged the step ${answer === 'P' ? 'positive' : 'negative'}; its Monte-Carlo label is ${inst.label}`,
  });
}
