/**
 * One proposal round of self-instruct (CoT-Self-Instruct, arXiv 2507.23751), as run() reads:
 *   1. pair seed instances and write one proposal per pair: the policy given the proposal template, or the task's
 *      scripted proposer;
 *   2. parse each against the task's grammar (rejections counted by reason);
 *   3. sample K policy answers to every parsed proposal and to every seed prompt;
 *   4. judge: pass rate against the task's gold answer, whether the stated answer is right, and what each filter
 *      keeps (answer-matching, self-consistency, none);
 *   5. report: the kept proposals of the configured filter, the round's metrics and the difficulty histogram.
 */
import type { Backend } from '../../engine/backend';
import { Rng } from '../../engine/rng';
import { rolloutStream, SELF_INSTRUCT_SEED_XOR, SELF_INSTRUCT_STREAM } from '../../engine/streams';
import type { FfnActivation } from '../../model/config';
import { generate } from '../../model/generate';
import type { CharTokenizer } from '../../model/tokenizer';
import type { Transformer } from '../../model/transformer';
import type { GrpoConfig } from '../grpo/config';
import type { Plot } from '../plots';
import {
  answerMatchingFilter,
  difficultyHistogram,
  parseProposal,
  proposalTemplate,
  REJECTIONS,
  selfConsistencyFilter,
  type ProposalGrammar,
} from '../reasoning/selfInstruct';
import { groupedPrompts, samplingOptions } from '../sampling';
import { isCorrect, type Task, type TaskInstance } from '../tasks/types';
import type { Metrics } from '../trainer';
import type { SelfInstructConfig, SelfInstructFilter } from './config';
import type { KeptProposal } from './keptSet';

/** Sub-streams of SELF_INSTRUCT_STREAM (see engine/streams.ts). */
export const SEED_SPLIT = 0;
export const DEMONSTRATION_SPLIT = 1;
const ROUND_SPLIT_BASE = 2;
/** Rollout slots of a round's two sampling calls within its iteration's streams (under the xor-ed seed). */
const PROPOSAL_SLOT = 0;
const ANSWER_SLOT = 1;
/** Pass-rate bins of the difficulty histogram. */
export const HISTOGRAM_BINS = 5;
export const DIFFICULTY_PLOT_ID = 'self-instruct-difficulty';

/** What a round reads from its trainer. */
export interface RoundContext {
  be: Backend;
  policy: Transformer;
  tokenizer: CharTokenizer;
  task: Task;
  grammar: ProposalGrammar;
  cfg: SelfInstructConfig;
  sampling: GrpoConfig;
  seed: number;
  seeds: readonly TaskInstance[];
  activation: FfnActivation;
}

/** A parsed proposal with its K answers, judged. */
export interface JudgedProposal {
  instance: TaskInstance;
  stated: string;
  passRate: number;
  statedCorrect: boolean;
  kept: Record<SelfInstructFilter, boolean>;
}

export interface RoundResult {
  /** The proposals the configured filter keeps. */
  kept: KeptProposal[];
  metrics: Metrics;
  histogram: Plot;
  /** Every proposal as written (for inspection), with why it was rejected when it was. */
  proposals: { text: string; rejected: string | null }[];
  /** The parsed proposals, judged. */
  judged: JudgedProposal[];
}

/** The seed instances of a run: drawn once from the task under the run seed. */
export function seedInstances(task: Task, difficulty: Record<string, number>, seed: number, count: number): TaskInstance[] {
  const rng = new Rng(seed, SELF_INSTRUCT_STREAM).split(SEED_SPLIT);
  return Array.from({ length: count }, () => task.generate(rng, difficulty));
}

/** Pairs of distinct seeds, one per proposal, drawn from the round's own sub-stream. */
export function seedPairs(rng: Rng, seeds: number, count: number): [number, number][] {
  return Array.from({ length: count }, () => {
    const a = rng.int(seeds);
    const b = (a + 1 + rng.int(seeds - 1)) % seeds;
    return [a, b];
  });
}

export async function proposalRound(c: RoundContext, iteration: number): Promise<RoundResult> {
  const { cfg, grammar } = c;
  const rng = new Rng(c.seed, SELF_INSTRUCT_STREAM).split(ROUND_SPLIT_BASE + iteration);
  const pairs = seedPairs(rng, c.seeds.length, cfg.proposals).map(([a, b]) => [c.seeds[a], c.seeds[b]] as const);
  const texts = cfg.proposer === 'scripted' ? pairs.map(([a, b]) => grammar.propose(rng, a, b)) : await policyProposals(c, pairs, iteration);

  const rejections: Record<string, number> = Object.fromEntries([...REJECTIONS, 'too_long'].map((r) => [r, 0]));
  const parsed: { instance: TaskInstance; stated: string }[] = [];
  const proposals = texts.map((text) => {
    const p = parseProposal(grammar, text);
    if (!p.ok) {
      rejections[p.rejection]++;
      return { text, rejected: p.reason };
    }
    // Its K answers must fit the context after the prompt (a policy can write a long but well-formed problem).
    if (p.instance.prompt.length + 1 + c.sampling.max_completion_length > c.policy.config.contextLength) {
      rejections.too_long++;
      return { text, rejected: `"${p.instance.prompt}" leaves no room for a ${c.sampling.max_completion_length}-token answer in the context` };
    }
    parsed.push(p);
    return { text, rejected: null };
  });

  const answers = await sampleAnswers(c, [...parsed.map((p) => p.instance), ...c.seeds], iteration);
  const judged = judgeProposals(c.task, grammar, parsed, answers.slice(0, parsed.length), cfg.threshold);
  const seedPassRates = c.seeds.map((s, i) => passRate(c.task, s, answers[parsed.length + i]));
  const metrics = roundMetrics(judged, seedPassRates, texts.length, rejections, cfg.filter);
  const kept = judged.filter((j) => j.kept[cfg.filter]).map((j): KeptProposal => ({ ...j.instance, stated: j.stated, passRate: j.passRate }));
  return { kept, metrics, histogram: difficultyPlot(seedPassRates, judged, cfg.filter), proposals, judged };
}

/** The policy writes one proposal per seed pair, given the template of the two seeds. */
async function policyProposals(c: RoundContext, pairs: readonly (readonly [TaskInstance, TaskInstance])[], iteration: number): Promise<string[]> {
  const templates = pairs.map(([a, b]) => proposalTemplate(c.grammar, a, b));
  const longest = Math.max(...templates.map((t) => t.length));
  if (longest + 1 + c.cfg.maxProposalLength > c.policy.config.contextLength) {
    throw new Error(
      `self-instruct: a proposal template of ${longest} characters plus maxProposalLength ${c.cfg.maxProposalLength} does not fit the context length ${c.policy.config.contextLength}: raise model.contextLength or lower selfInstruct.maxProposalLength`,
    );
  }
  const opts = samplingOptions({ ...c.sampling, max_completion_length: c.cfg.maxProposalLength }, c.seed ^ SELF_INSTRUCT_SEED_XOR, rolloutStream(iteration, PROPOSAL_SLOT), c.activation);
  const rollouts = await generate(c.be, c.policy, groupedPrompts(c.tokenizer, templates, 1), opts);
  return rollouts.map((r) => c.tokenizer.decode(r.tokens));
}

/** K sampled answers (extracted) to each prompt, in one batch. */
async function sampleAnswers(c: RoundContext, instances: readonly TaskInstance[], iteration: number): Promise<(string | null)[][]> {
  const K = c.cfg.answerSamples;
  const opts = samplingOptions(c.sampling, c.seed ^ SELF_INSTRUCT_SEED_XOR, rolloutStream(iteration, ANSWER_SLOT), c.activation);
  const rollouts = await generate(c.be, c.policy, groupedPrompts(c.tokenizer, instances.map((i) => i.prompt), K), opts);
  return instances.map((_, i) => rollouts.slice(i * K, (i + 1) * K).map((r) => c.task.extractAnswer(c.tokenizer.decode(r.tokens))));
}

function passRate(task: Task, instance: TaskInstance, answers: readonly (string | null)[]): number {
  return answers.filter((a) => isCorrect(task, a, instance)).length / Math.max(1, answers.length);
}

/** Pass rate, stated-answer correctness and each filter's verdict for every parsed proposal and its K answers. */
export function judgeProposals(
  task: Task,
  grammar: ProposalGrammar,
  parsed: readonly { instance: TaskInstance; stated: string }[],
  answers: readonly (readonly (string | null)[])[],
  threshold: number,
): JudgedProposal[] {
  const keys = parsed.map((p, i) => answers[i].map((a) => grammar.answerKey(a, p.instance)));
  const matching = answerMatchingFilter(parsed.map((p, i) => ({ statedKey: grammar.answerKey(p.stated, p.instance), answerKeys: keys[i] }))).kept;
  const consistent = selfConsistencyFilter(keys, threshold).kept;
  return parsed.map((p, i) => ({
    instance: p.instance,
    stated: p.stated,
    passRate: passRate(task, p.instance, answers[i]),
    statedCorrect: isCorrect(task, p.stated, p.instance),
    kept: { 'answer-matching': matching[i], 'self-consistency': consistent[i], none: true },
  }));
}

const FILTER_METRIC: Record<SelfInstructFilter, string> = { 'answer-matching': 'answer_matching', 'self-consistency': 'self_consistency', none: 'none' };

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * A round's metrics (prefix self_instruct/): proposals written and the share parsed, rejections by reason, each
 * filter's kept share of the parsed proposals and the share of right stated answers among those it keeps, and the
 * policy's mean pass rate on seeds, on all parsed proposals and on the kept ones. A mean over nothing is left out.
 */
export function roundMetrics(
  judged: readonly JudgedProposal[],
  seedPassRates: readonly number[],
  proposals: number,
  rejections: Readonly<Record<string, number>>,
  filter: SelfInstructFilter,
): Metrics {
  const m: Metrics = { 'self_instruct/proposals': proposals, 'self_instruct/parsed': judged.length / Math.max(1, proposals) };
  for (const [reason, count] of Object.entries(rejections)) m[`self_instruct/rejected/${reason}`] = count;
  const put = (name: string, xs: readonly number[]) => {
    if (xs.length) m[name] = mean(xs);
  };
  put('self_instruct/stated_correct/all', judged.map((j) => Number(j.statedCorrect)));
  for (const f of Object.keys(FILTER_METRIC) as SelfInstructFilter[]) {
    const kept = judged.filter((j) => j.kept[f]);
    if (judged.length) m[`self_instruct/kept/${FILTER_METRIC[f]}`] = kept.length / judged.length;
    if (f !== 'none') put(`self_instruct/stated_correct/${FILTER_METRIC[f]}`, kept.map((j) => Number(j.statedCorrect)));
  }
  put('self_instruct/pass_rate/seed', seedPassRates);
  put('self_instruct/pass_rate/synthetic', judged.map((j) => j.passRate));
  put('self_instruct/pass_rate/kept', judged.filter((j) => j.kept[filter]).map((j) => j.passRate));
  return m;
}

/** Pass-rate histogram of the seed prompts, all parsed proposals and the kept ones (fractions of each set). */
export function difficultyPlot(seedPassRates: readonly number[], judged: readonly JudgedProposal[], filter: SelfInstructFilter): Plot {
  const all = difficultyHistogram({ seed: seedPassRates, synthetic: judged.map((j) => j.passRate) }, HISTOGRAM_BINS);
  const kept = difficultyHistogram({ seed: [], synthetic: judged.filter((j) => j.kept[filter]).map((j) => j.passRate) }, HISTOGRAM_BINS).synthetic;
  const centres = all.binEdges.slice(0, -1).map((_, i) => (i + 0.5) / HISTOGRAM_BINS);
  const series = (label: string, ys: number[]) => ({ label, points: centres.map((x, i) => ({ x, y: ys[i] })) });
  return {
    id: DIFFICULTY_PLOT_ID,
    title: 'difficulty: policy pass rate of seed vs synthetic prompts',
    xLabel: 'pass rate (bin centre)',
    yLabel: 'share of prompts',
    kind: 'line',
    unit: true,
    series: [series('seed', all.seed), series('synthetic (parsed)', all.synthetic), series(`synthetic (kept: ${filter})`, kept)],
  };
}
