/**
 * Ready-made experiments. Each says what to watch and states its claim as checks the preset harness measures
 * over seeds (`npm run presets`; results and curves in docs/presets.md). A claim the toy does not reproduce is
 * rewritten to what does happen, never left as an untested sentence. Configs are partial, on top of the
 * defaults, and parse with parseRunConfig like any other config.
 */
import { defaultMta } from '../../model/config';
import type { Check } from './claims';

export interface Preset {
  id: string;
  title: string;
  /** What to watch while it trains; every statement in it is backed by `claim`. */
  watch: string;
  config: object;
  /** Other configs the claim compares against, by name (the preset's own config is "main"). */
  variants?: Record<string, object>;
  claim: Check[];
  /** Curves docs/presets.md plots besides those the claim names (what the note asks to watch). */
  plots?: string[];
  /** The claim holds within few iterations on one seed, so CI checks it on every change. */
  ci?: boolean;
  /** An ONNX judge the preset needs; picking the preset loads it when none is loaded. */
  judge?: 'shipped-reversal';
}

const watchLearn = {
  task: 'sorting',
  difficulty: { length: 3 },
  model: { preset: 'tiny', contextLength: 16 },
  sft: { steps: 100, batch: 32, lr: 3e-3 },
  grpo: { num_generations: 16, prompts_per_step: 32, max_completion_length: 4, num_iterations: 4, learning_rate: 1e-3, warmup_steps: 2 },
  iterations: 30,
  eval: { n: 64, every: 5 },
};

const findBlock = {
  task: 'find-block',
  difficulty: { blocks: 2, blockLength: 2, queryLength: 2 },
  model: { preset: 'tiny', contextLength: 24, mta: defaultMta() },
  sft: { steps: 450, batch: 32, lr: 3e-3 },
  grpo: { num_generations: 8, prompts_per_step: 4, max_completion_length: 5 },
  iterations: 20,
  eval: { n: 32, every: 5 },
};

const diversity = {
  task: 'addition',
  difficulty: { digits: 1 },
  model: { preset: 'tiny', contextLength: 32, activation: 'stochA', stochP: 0.5 },
  sft: { steps: 150, batch: 32, lr: 3e-3 },
  grpo: { temperature: 0.6, num_generations: 8, prompts_per_step: 4, max_completion_length: 5 },
  iterations: 20,
  eval: { n: 32, every: 5 },
};

const labelFree = {
  task: 'addition',
  difficulty: { digits: 1 },
  sft: { steps: 150, batch: 32, lr: 3e-3 },
  grpo: {
    label_mode: 'restrain',
    num_generations: 8,
    prompts_per_step: 16,
    max_completion_length: 4,
    learning_rate: 1e-4,
    restrain: { center: 1, sigma: 0.3, kappa: 3, delta: 0.3 },
  },
  iterations: 20,
  eval: { n: 32, every: 5 },
};

/** Online DPO (s = 1); the comparison runs change only the sync interval, or the algorithm. */
const semiOnlineDpo = {
  algorithm: 'dpo',
  task: 'sorting',
  difficulty: { length: 3 },
  model: { preset: 'tiny', contextLength: 16 },
  sft: { steps: 100, batch: 32, lr: 3e-3 },
  grpo: { num_generations: 16, prompts_per_step: 32, max_completion_length: 4, learning_rate: 1e-3 },
  dpo: { beta: 0.1, sync_interval: 1, ref_sync: true, pairs: 'random' },
  iterations: 60,
  eval: { n: 64, every: 5 },
};

const selfInstruct = {
  algorithm: 'self-instruct',
  task: 'addition',
  difficulty: { digits: 1 },
  model: { preset: 'tiny', contextLength: 32 },
  sft: { steps: 400, batch: 32, lr: 3e-3 },
  grpo: { num_generations: 8, prompts_per_step: 8, max_completion_length: 4, learning_rate: 3e-4 },
  selfInstruct: { proposer: 'policy', proposals: 16, answerSamples: 8, filter: 'answer-matching', label: 'stated', seeds: 16, pool: 64, proposalShare: 0.25 },
  iterations: 20,
  eval: { n: 32, every: 5 },
};

/** A 1-digit adder warm-started to about one answer in four right: most prompts get both right and wrong answers to pair. */
const judgedAdder = {
  task: 'addition',
  difficulty: { digits: 1 },
  sft: { steps: 80, batch: 32, lr: 3e-3 },
  grpo: { num_generations: 8, prompts_per_step: 8, max_completion_length: 4 },
};

/** The judge of both presets: tiny, warmed up by SFT on its pool, then GRPO on 8 pairs × 2 orders × 8 rollouts. */
const judge = { judge_sft_batch: 32, learning_rate: 3e-4, generations_per_order: 8, pairs_per_batch: 8, pool_prompts: 128, heldout_pairs: 32 };

const j1Judge = {
  ...judgedAdder,
  algorithm: 'j1',
  j1: { ...judge, judge_sft_steps: 600 },
  iterations: 60,
  eval: { n: 16, every: 5 },
};

const onPolicyRm = {
  ...judgedAdder,
  algorithm: 'onpolicy-rm',
  rewards: { weights: { correct: 0, model_judge: 1 } },
  j1: { ...judge, judge_sft_steps: 2000 },
  onpolicy_rm: { refresh_every: 5, refresh_iterations: 4, pairing: 'balanced' },
  iterations: 20,
  eval: { n: 32, every: 5 },
};

const thinkBudget = {
  task: 'think-budget',
  difficulty: { hardPercent: 50, steps: 2, mode: 0 },
  model: { preset: 'tiny', contextLength: 32 },
  sft: { steps: 400, batch: 32, lr: 3e-3 },
  grpo: { num_generations: 8, prompts_per_step: 16, max_completion_length: 24, loss_type: 'grpo', learning_rate: 1e-3 },
  iterations: 30,
  eval: { n: 32, every: 5 },
};

const aggregation = {
  algorithm: 'aggregation',
  task: 'addition',
  difficulty: { digits: 1 },
  model: { preset: 'tiny', contextLength: 32, nEmbd: 64, nLayer: 3 },
  sft: { steps: 600, batch: 32, lr: 3e-3 },
  grpo: { num_generations: 8, prompts_per_step: 16, max_completion_length: 4, learning_rate: 3e-4, num_iterations: 2 },
  aggregation: { pool_size: 4, k: 2, rounds: 2, warm_start_share: 0.5 },
  iterations: 40,
  eval: { n: 64, every: 10 },
};

const traceSelection = {
  algorithm: 'distill',
  task: 'think-budget',
  difficulty: { hardPercent: 50, steps: 2, mode: 0 },
  model: { preset: 'tiny', contextLength: 32 },
  sft: { steps: 1000, batch: 32, lr: 8e-3 },
  grpo: { max_completion_length: 22, temperature: 1 },
  distill: { selector: 'random', targets: 'think', pool: 1536, budget: 384, steps_per_iteration: 60, batch: 32, learning_rate: 3e-3, second_steps: 600 },
  iterations: 8,
  eval: { n: 128, every: 2 },
};

/** The trace-selection preset's comparison runs: one per other selector, and the random selection with other targets. */
const traceSelectionVariants = {
  long: { ...traceSelection, distill: { ...traceSelection.distill, selector: 'long' } },
  disagreement: { ...traceSelection, distill: { ...traceSelection.distill, selector: 'disagreement' } },
  diversity: { ...traceSelection, distill: { ...traceSelection.distill, selector: 'diversity' } },
  'answer-only': { ...traceSelection, distill: { ...traceSelection.distill, targets: 'answer-only' } },
  mixed: { ...traceSelection, distill: { ...traceSelection.distill, targets: 'mixed' } },
};

export const PRESETS: readonly Preset[] = [
  {
    id: 'watch-learn',
    title: 'Watch GRPO learn',
    watch:
      'A 100-step warm-start on sorting three digits teaches the format, and greedy decoding already sorts most prompts, but at temperature 1 the model samples a fully sorted answer only about one time in five. Each iteration samples 32 prompts × 16 answers and takes 4 optimizer steps on them (μ = 4): within 30 iterations sampled pass@1 climbs by 0.15 or more (to about 0.5–0.6), the reward curve with it, while entropy falls and greedy accuracy holds. The "fewer samples" comparison (8 prompts, μ = 1) learns far less in the same iterations: its gradient is mostly noise.',
    config: watchLearn,
    variants: { 'fewer samples': { ...watchLearn, grpo: { ...watchLearn.grpo, prompts_per_step: 8, num_iterations: 1 } } },
    claim: [
      { kind: 'rises', metric: 'pass@1', by: 0.15 },
      { kind: 'rises', metric: 'reward', by: 0.15 },
      { kind: 'falls', metric: 'entropy', by: 0.3 },
      { kind: 'rises', metric: 'accuracy', by: -0.05 },
      { kind: 'ahead', metric: 'pass@1', variant: 'main', over: 'fewer samples', by: 0.1 },
    ],
    ci: true,
  },
  {
    id: 'zero-variance',
    title: 'Zero-variance groups',
    watch:
      'A learning rate ten times too large (1e-2) on a well warm-started 1-digit adder. Within an iteration or two the policy collapses onto wrong answers: held-out accuracy falls from 0.6–0.9 to near 0. Groups become all-wrong, their rewards are equal, so every advantage is 0: frac_reward_zero_std climbs toward 1 and grad_norm sinks toward 0, and GRPO has no signal left to climb back with. The group view flags those groups. Lower the learning rate to 1e-4 to compare, or raise "dynamic sampling rounds" to watch it hunt for the rare informative group.',
    config: {
      task: 'addition',
      difficulty: { digits: 1 },
      sft: { steps: 150, batch: 32, lr: 3e-3 },
      grpo: { num_generations: 8, prompts_per_step: 8, max_completion_length: 4, learning_rate: 1e-2 },
      iterations: 20,
      eval: { n: 32, every: 5 },
    },
    claim: [
      { kind: 'falls', metric: 'accuracy', by: 0.4 },
      { kind: 'rises', metric: 'frac_reward_zero_std', by: 0.3, startWindow: 1 },
      { kind: 'falls', metric: 'grad_norm', by: 0.3, startWindow: 1 },
    ],
    ci: true,
  },
  {
    id: 'mta-find-block',
    title: 'MTA vs plain attention on find-block',
    watch:
      'Find-block needs several query letters at once, which Multi-Token Attention’s key-query convolution can combine (arXiv 2504.00927). Here, two blocks of two letters and a two-letter query: the comparison run switches MTA off with the same seed, so only the attention differs. MTA ends level with or ahead of plain attention in held-out accuracy on each of our three seeds, but the gap swings with the seed (from none to a few tenths), so this toy shows a tendency, not the paper’s clear separation.',
    config: findBlock,
    variants: { plain: { ...findBlock, model: { ...findBlock.model, mta: null } } },
    claim: [{ kind: 'ahead', metric: 'accuracy', variant: 'main', over: 'plain', by: 0 }],
  },
  {
    id: 'stocha-diversity',
    title: 'stochA vs temperature for diversity',
    watch:
      'stochA (SILU with probability p, else RELU) makes each rollout a slightly different network; the stochastic-activations paper (arXiv 2509.22358) uses that for diverse generations. At this toy scale it adds no diversity: at temperature 0.6 a stochA policy’s groups hold fewer distinct answers over the run (group/distinct_answers) than a SILU policy’s at the same temperature, while raising SILU’s temperature to 1 adds clearly more. Watch the distinct answers in the group view and entropy; the two comparison runs switch the activation to silu, at temperature 0.6 and 1.',
    config: diversity,
    variants: {
      'silu T=0.6': { ...diversity, model: { ...diversity.model, activation: 'silu' } },
      'silu T=1': { ...diversity, model: { ...diversity.model, activation: 'silu' }, grpo: { ...diversity.grpo, temperature: 1 } },
    },
    claim: [
      // Distinct answers per group are noisy from one iteration to the next (4 groups of 8): compare whole runs.
      { kind: 'ahead', metric: 'group/distinct_answers', variant: 'silu T=0.6', over: 'main', by: 0, window: 20 },
      { kind: 'ahead', metric: 'group/distinct_answers', variant: 'silu T=1', over: 'silu T=0.6', by: 0.08, window: 20 },
    ],
  },
  {
    id: 'restrain-vs-ttrl',
    title: 'RESTRAIN vs TTRL (no gold labels)',
    watch:
      'Without gold answers, TTRL trains toward each group’s majority answer; RESTRAIN spreads weight over all answers by vote share and penalises groups with a weak majority (below κ). On this 1-digit adder at temperature 1 the majority is often wrong (pseudo_label_accuracy well under 0.5), so neither method improves held-out accuracy: both drift. TTRL locks onto wrong majorities and its held-out accuracy falls by 0.2 or more; RESTRAIN, penalising about a third of the groups (frac_penalised), ends ahead of TTRL in held-out accuracy and at least level in pseudo-label accuracy. The comparison run is the same config with label mode ttrl.',
    config: labelFree,
    variants: { ttrl: { ...labelFree, grpo: { ...labelFree.grpo, label_mode: 'ttrl' } } },
    claim: [
      { kind: 'falls', metric: 'accuracy', variant: 'ttrl', by: 0.2 },
      { kind: 'ahead', metric: 'accuracy', variant: 'main', over: 'ttrl', by: 0.1 },
      { kind: 'ahead', metric: 'pseudo_label_accuracy', variant: 'main', over: 'ttrl', by: 0 },
    ],
    plots: ['frac_penalised'],
  },
  {
    id: 'judge-hacking',
    title: 'A biased judge gets hacked',
    watch:
      'The only reward is a judge that adds +1 whenever the answer contains the digit 9, on a warm-started 1-digit adder that gets most sums right. Watch rewards/judge/mean climb by 0.2 or more while held-out accuracy collapses toward 0, and the rollout inspector fill up with 9s: the policy optimises the judge, not the task.',
    config: {
      task: 'addition',
      difficulty: { digits: 1 },
      sft: { steps: 150, batch: 32, lr: 3e-3 },
      grpo: { num_generations: 8, prompts_per_step: 8, max_completion_length: 4 },
      rewards: { weights: { correct: 0, judge: 1 }, judge: { keyword: '9', keywordBias: 1 } },
      iterations: 20,
      eval: { n: 32, every: 5 },
    },
    claim: [
      { kind: 'rises', metric: 'rewards/judge/mean', by: 0.2 },
      { kind: 'falls', metric: 'accuracy', by: 0.3 },
    ],
    ci: true,
  },
  {
    id: 'onnx-judge',
    title: 'A learned ONNX judge as the reward',
    watch:
      'No verifier in the reward: a small transformer trained to judge reversals (public/models/reversal-judge.onnx, 96% held-out accuracy) scores each rollout with P(yes) after writing its reasoning. The judge’s reward (rewards/model_judge/mean) climbs by 0.1 or more in 30 iterations while held-out accuracy does not follow: it ends lower than it started (docs/presets.md has both curves per seed). Watch the two diverge in the Judge panel, and read the judge’s reasoning in the rollout inspector: where it is wrong, the policy can learn its mistakes.',
    judge: 'shipped-reversal',
    config: {
      task: 'reversal',
      difficulty: { length: 3 },
      model: { preset: 'tiny', contextLength: 24 },
      sft: { steps: 150, batch: 32, lr: 3e-3 },
      grpo: { num_generations: 8, prompts_per_step: 16, max_completion_length: 4, num_iterations: 2 },
      rewards: { weights: { correct: 0, model_judge: 1 } },
      iterations: 30,
      eval: { n: 32, every: 5 },
    },
    claim: [
      { kind: 'rises', metric: 'rewards/model_judge/mean', by: 0.1 },
      { kind: 'falls', metric: 'accuracy', by: 0 },
    ],
  },
  {
    id: 'semi-online-dpo',
    title: 'Semi-online DPO vs GRPO',
    watch:
      'Semi-online DPO (arXiv 2506.21495) on the sorting task of "Watch GRPO learn": a frozen copy of the policy, the generator, samples 32 prompts × 16 answers; each prompt with a right and a wrong answer gives one pair (a random correct vs a random incorrect one); the policy takes one DPO step on the pairs per iteration, and the generator (with π_ref) takes the policy’s weights every s steps. Online (s = 1, this run) held-out pass@1 climbs by 0.08 or more in 60 iterations while entropy falls by 0.2 or more, as the paper reports for online runs. Offline (the generator is never synced: one generation pass from the initial policy) ends behind online DPO on every seed, and s = 10 ends between the two. Unlike the paper, where online DPO matches GRPO, GRPO with the same samples, learning rate and one step per iteration ends ahead here, by less than 0.12 pass@1. Compare the runs’ pass@1 and entropy; for s = 10 and offline, reward, train accuracy and entropy describe the stale generator, not the policy (docs/dpo.md). With s = 1 and π_ref synced, the implicit rewards at each step are exactly 0 by construction: set s = 10 or untick the π_ref sync to watch rewards/margins grow.',
    config: semiOnlineDpo,
    variants: {
      's=10': { ...semiOnlineDpo, dpo: { ...semiOnlineDpo.dpo, sync_interval: 10 } },
      offline: { ...semiOnlineDpo, dpo: { ...semiOnlineDpo.dpo, sync_interval: 'offline' } },
      grpo: { ...semiOnlineDpo, algorithm: 'grpo' },
    },
    claim: [
      { kind: 'rises', metric: 'pass@1', by: 0.08 },
      { kind: 'falls', metric: 'entropy', by: 0.2 },
      { kind: 'ahead', metric: 'pass@1', variant: 'main', over: 'offline', by: 0.03 },
      { kind: 'ahead', metric: 'pass@1', variant: 's=10', over: 'offline', by: 0 },
      { kind: 'ahead', metric: 'pass@1', variant: 'main', over: 's=10', by: 0 },
      { kind: 'ahead', metric: 'pass@1', variant: 'grpo', over: 'main', by: 0 },
      { kind: 'ahead', metric: 'pass@1', variant: 'main', over: 'grpo', by: -0.12 },
    ],
    plots: ['rewards/margins', 'rewards/accuracies', 'dpo/generator_lag'],
  },
  {
    id: 'self-instruct',
    title: 'GRPO on seed prompts vs on self-instructed prompts',
    watch:
      'CoT-Self-Instruct (arXiv 2507.23751) has the model write new problems from two seed problems, keeps those its own answers support, and trains on them with the stated answers as labels. Here a 1-digit adder, whose warm-start also taught it the proposal template ("3+4=7=5+2=7=" → "3+2=5"), writes 16 proposals per iteration; 8 sampled answers to each decide what answer-matching keeps, and GRPO trains on the kept set, rewarded for agreeing with the stated answer. Watch the kept-fraction and stated-answer curves and the difficulty histogram. The problems almost always parse, but the answer the policy states with its own problem is right only about a fifth of the time. Answer-matching keeps a fifth to a third of the proposals, with more right labels than no filter (in the kept set 0.30–0.74 vs 0.13–0.23), and self-consistency keeps two to three times as many. Training on its own labels still drags the policy down (held-out accuracy from 0.84–1.0 to 0.31–0.62), and the no-filter run falls further (to 0.06–0.25). GRPO on fresh seed-task prompts with gold answers, at the same prompts × generations, holds accuracy at 1.0: the toy does not reproduce the paper’s gain from synthetic prompts. With the scripted proposer (always right) answer-matching keeps most proposals (0.81–0.92), the kept prompts are slightly easier than all proposals (pass rate +0.04–0.07), and the run ends within 0.03 of plain GRPO in pass@1.',
    config: selfInstruct,
    variants: {
      'no filter': { ...selfInstruct, selfInstruct: { ...selfInstruct.selfInstruct, filter: 'none' } },
      'seed GRPO': { ...selfInstruct, algorithm: 'grpo' },
      'scripted proposer': { ...selfInstruct, selfInstruct: { ...selfInstruct.selfInstruct, proposer: 'scripted' } },
    },
    claim: [
      { kind: 'exceeds', metric: 'self_instruct/stated_correct/answer_matching', over: 'self_instruct/stated_correct/all', by: 0.05 },
      { kind: 'ahead', metric: 'self_instruct/pool_labels_correct', variant: 'main', over: 'no filter', by: 0.1, window: 20 },
      { kind: 'ahead', metric: 'accuracy', variant: 'main', over: 'no filter', by: 0.1 },
      { kind: 'falls', metric: 'accuracy', by: 0.2 },
      { kind: 'exceeds', metric: 'self_instruct/kept/self_consistency', over: 'self_instruct/kept/answer_matching', by: 0.2 },
      { kind: 'ahead', metric: 'self_instruct/kept/answer_matching', variant: 'scripted proposer', over: 'main', by: 0.5, window: 20 },
      { kind: 'exceeds', metric: 'self_instruct/pass_rate/kept', over: 'self_instruct/pass_rate/synthetic', by: 0.03, variant: 'scripted proposer' },
      { kind: 'ahead', metric: 'accuracy', variant: 'seed GRPO', over: 'main', by: 0.3 },
      { kind: 'ahead', metric: 'pass@1', variant: 'scripted proposer', over: 'seed GRPO', by: -0.05 },
    ],
    // The other side of each 'exceeds' check, and the parsed share.
    plots: ['self_instruct/stated_correct/all', 'self_instruct/pass_rate/synthetic', 'self_instruct/parsed'],
  },
  {
    id: 'think-budget',
    title: 'Think budget: overthinking on easy prompts',
    watch:
      'Every warm-start demonstration thinks before it answers ({3+4=7}7: 5 think tokens on an easy prompt), on a 50/50 mix of one-digit sums (easy) and two-operation arithmetic (hard). Plain GRPO, whose loss divides each completion by its own length, lengthens the thoughts on easy prompts: think/tokens_easy rises by 0.5 or more (from about 5.5 to 6.4–8.4 on our seeds). Charging think tokens on easy prompts only (think penalty) reins it in completely: easy thoughts end near 0, but so do hard ones (a fall of 3 or more): this tiny policy does not tell easy from hard when it decides to think. The length reward cuts all thinking as well, within 5 iterations. Accuracy stays low at this size (sampled accuracy about 0.1), so the lengthening happens mostly on wrong answers, the length bias Dr. GRPO describes; the Dr. GRPO loss run is there to compare (it does not rein easy thoughts in on every seed). Watch the think tokens curves and the OAA_t plot; docs/reasoning.md has the numbers.',
    config: thinkBudget,
    variants: {
      'Dr. GRPO loss': { ...thinkBudget, grpo: { ...thinkBudget.grpo, loss_type: 'dr_grpo' } },
      'think penalty': { ...thinkBudget, rewards: { weights: { correct: 1, think_easy: 1 } } },
      'length reward': { ...thinkBudget, rewards: { weights: { correct: 1, length: 1 } } },
    },
    claim: [
      { kind: 'rises', metric: 'think/tokens_easy', by: 0.5, startWindow: 1, window: 2 },
      { kind: 'ahead', metric: 'think/tokens_easy', variant: 'main', over: 'think penalty', by: 3, window: 2 },
      { kind: 'falls', metric: 'think/tokens_hard', variant: 'think penalty', by: 3, startWindow: 1, window: 2 },
      { kind: 'ahead', metric: 'think/tokens_easy', variant: 'main', over: 'length reward', by: 3, window: 2 },
    ],
    plots: ['think/tokens_hard', 'think/auc_oaa', 'think/acc_hard', 'think/f1_otb'],
  },
  {
    id: 'aggregation',
    title: 'Test-time aggregation (ParaGator)',
    watch:
      'Principia’s ParaGator recipe (arXiv 2603.18886) on 1-digit addition: each iteration samples a pool of 4 answers per problem (trained with pass@2 advantages), then the same policy reads an aggregation prompt listing the pool and writes the final answer (trained with pass@1), all in one optimizer step. The warm-start adds aggregation demonstrations, yet the untrained aggregator answers no better than a single sample (pass@1 by round, in the Experiment plots and the aggregation curves). Within 40 iterations the trained aggregator’s held-out pass@1 ends 0.05 or more above the untrained one’s (the comparison run: learning rate 0), and its training pass@1 rises by 0.08 or more; it stays under the pool’s pass@4, its ceiling. What the toy does not reproduce: the aggregator only draws level with single samples, a majority vote over the pool stays at least 0.05 ahead of it, and a second aggregation round does not help.',
    config: aggregation,
    variants: { untrained: { ...aggregation, grpo: { ...aggregation.grpo, learning_rate: 0 } } },
    claim: [
      { kind: 'ahead', metric: 'aggregation/pass@1_round1', variant: 'main', over: 'untrained', by: 0.05 },
      { kind: 'rises', metric: 'aggregation/train_pass@1', by: 0.08 },
      { kind: 'exceeds', metric: 'aggregation/pass@1_round0', over: 'aggregation/pass@1_round1', variant: 'untrained', by: 0, window: 1 },
      { kind: 'exceeds', metric: 'aggregation/pool_pass@m', over: 'aggregation/pass@1_round1', by: 0, window: 1 },
      { kind: 'exceeds', metric: 'aggregation/pass@1_round1', over: 'aggregation/pass@1_round2', by: 0, window: 1 },
      { kind: 'exceeds', metric: 'aggregation/majority_vote', over: 'aggregation/pass@1_round1', by: 0.05, window: 1 },
    ],
    plots: ['aggregation/pass@1_round2'],
  },
  {
    id: 'trace-selection',
    title: 'Which teacher traces to distil (NaturalThoughts)',
    watch:
      'The warm-started policy is the teacher: it samples 1536 scratchpad traces once, and a fresh student of the same size learns from a budget of 384 of them, 48 more per iteration, at the same compute whatever the selection (NaturalThoughts, arXiv 2507.01921). Watch student accuracy climb with the examples (by 0.1 or more over the run). Random selection is the strongest here: it ends ahead of the long, disagreement and diversity selectors. Those do what they say (long picks longer traces, disagreement picks traces where the answer-only second model is wrong, both with more hard prompts), but the tiny student barely learns the hard split in this budget (its hard accuracy stays under about 0.1), so trading easy traces for hard ones costs easy accuracy. Targets: an answer-only student writes about 1.5 tokens instead of 12 at an accuracy at most 0.05 lower (higher on two seeds); a mixed student (mode token: think on hard prompts) writes fewer tokens than a thinking one, at an accuracy up to 0.1 lower. The plots show the student accuracy against examples and its tokens against accuracy per mode.',
    config: traceSelection,
    variants: traceSelectionVariants,
    claim: [
      { kind: 'rises', metric: 'student/accuracy', by: 0.1, window: 1 },
      { kind: 'ahead', metric: 'student/accuracy', variant: 'main', over: 'long', by: 0, window: 2 },
      { kind: 'ahead', metric: 'student/accuracy', variant: 'main', over: 'disagreement', by: 0, window: 2 },
      { kind: 'ahead', metric: 'student/accuracy', variant: 'main', over: 'diversity', by: 0.05, window: 2 },
      { kind: 'ahead', metric: 'distill/trace_length', variant: 'long', over: 'main', by: 0.3, window: 1 },
      { kind: 'ahead', metric: 'distill/hard_share', variant: 'long', over: 'main', by: 0.04, window: 1 },
      { kind: 'ahead', metric: 'distill/disagreement_share', variant: 'disagreement', over: 'main', by: 0.2, window: 1 },
      { kind: 'ahead', metric: 'student/tokens', variant: 'main', over: 'answer-only', by: 3, window: 1 },
      { kind: 'ahead', metric: 'student/accuracy', variant: 'answer-only', over: 'main', by: -0.05, window: 2 },
      { kind: 'ahead', metric: 'student/tokens', variant: 'main', over: 'mixed', by: 1, window: 1 },
      { kind: 'ahead', metric: 'student/accuracy', variant: 'mixed', over: 'main', by: -0.1, window: 2 },
    ],
    plots: ['student/accuracy_hard', 'student/accuracy_easy'],
  },
  {
    id: 'j1-judge',
    title: 'J1: a judge trained with RL',
    watch:
      'A second tiny transformer learns to judge the policy’s own answers (J1, arXiv 2505.10320): which of two answers to a sum is correct? Each batch holds every pair in both orders, and a rollout earns 1 for the right letter plus the consistency reward when its partner rollout in the other order is also right. The judge is first warmed up by 600 SFT steps on demonstrations (its own sum, then the letter). Over 60 GRPO iterations the consistent accuracy of its training batches (j1/consistent_accuracy) ends at least where it started on each of our three seeds — clearly up on seed 1 (about 0.66 → 0.77), barely on seeds 2 and 3. What the toy does not reproduce: on seeds 2 and 3 the warm-up leaves a judge that names the same position in both orders (j1/heldout_flip_rate near 1), every rollout of a group then earns the same reward, and GRPO has nothing to learn from; and the comparison without the consistency reward ends level with the main run (within 0.02), so at this scale the consistency reward does not lower flips. A longer warm-up (2000 steps) makes the judge right on nearly every training pair before GRPO starts, which leaves GRPO nothing to add either.',
    config: j1Judge,
    variants: { 'no consistency reward': { ...j1Judge, j1: { ...j1Judge.j1, consistency_reward: false } } },
    claim: [
      { kind: 'rises', metric: 'j1/consistent_accuracy', by: 0 },
      { kind: 'ahead', metric: 'j1/consistent_accuracy', variant: 'main', over: 'no consistency reward', by: -0.02 },
    ],
    plots: ['j1/heldout_consistent_accuracy', 'j1/heldout_flip_rate', 'j1/flip_rate'],
  },
  {
    id: 'onpolicy-rm',
    title: 'On-policy reward model',
    watch:
      'The policy’s only reward is a J1 judge trained here (RLLM, arXiv 2603.18886): each answer is compared with one pivot answer of its group in both orders, and every 5 iterations the judge is refreshed on pairs from the policy’s latest rollouts. The judge is a tiny model warmed up for 2000 SFT steps; it is right in both orders on only about 0.4–0.5 of held-out pairs, no stronger than the policy it grades. Watch the reward-hacking read-out: the judge’s reward (rewards/model_judge/mean) rises from its first iteration while the verifier’s verdict on the same rollouts (accuracy_train) falls, and held-out accuracy ends lower than it started. The "gold reward" comparison trains on the verifier instead and ends ahead of both judge runs in held-out accuracy. The "weak judge" (200 SFT steps) names the same position in both orders, so every answer scores ½ and there is no signal at all. What the toy does not show: a stronger judge helping the policy — the 2000-step judge ends no better than the weak one on held-out accuracy (the generator–verifier gap: a judge no better than the policy gives no gain), and refreshes are often skipped because the policy’s groups rarely hold both right and wrong answers.',
    config: onPolicyRm,
    variants: {
      'weak judge': { ...onPolicyRm, j1: { ...onPolicyRm.j1, judge_sft_steps: 200 } },
      'gold reward': { ...onPolicyRm, algorithm: 'grpo', rewards: { weights: { correct: 1 } } },
    },
    claim: [
      { kind: 'rises', metric: 'rewards/model_judge/mean', by: 0.03, startWindow: 1 },
      { kind: 'falls', metric: 'accuracy_train', by: 0.05, startWindow: 1 },
      { kind: 'falls', metric: 'accuracy', by: 0 },
      { kind: 'ahead', metric: 'accuracy', variant: 'gold reward', over: 'main', by: 0.05 },
      { kind: 'ahead', metric: 'accuracy', variant: 'gold reward', over: 'weak judge', by: 0.05 },
      // The gap: the stronger judge ends no better than the weak one.
      { kind: 'ahead', metric: 'accuracy', variant: 'weak judge', over: 'main', by: 0 },
    ],
    plots: ['rewards/model_judge/mean', 'accuracy_train'],
  },
  {
    id: 'stepwiser',
    title: 'StepWiser: a step judge and chunk-reset',
    watch:
      'A fixed policy (900 SFT steps on two-operation arithmetic, written step by step) solves problems; each step’s value Q̂ comes from 8 continuations, the steps are labelled Positive/Negative under Abs-Q, balanced 50/50, and a second tiny transformer, the step judge, is trained with GRPO to give each step its label (StepWiser, arXiv 2508.19229; 96 new solutions every 5 iterations). Its accuracy on the labelled steps it trains on (reward) rises by 0.1 or more in 60 iterations, and on held-out steps (the mean of its accuracy on positive and on negative steps, so “always Positive” scores 0.5) it ends above the warmed-up judge, but only by 0.04–0.08: watch both kinds of step in the accuracy chart, the judge swings between saying one label and the other before it separates them. The label-balance plot shows the rules disagree on the same steps: on the last pool Rel-Ratio (γ 0.7) calls more steps positive than Abs-Q, and Rel-Effective (α 1, best of 4) fewer (Rel-Effective’s positives are always a subset of Abs-Q’s; on seed 3’s first pool Rel-Ratio and Abs-Q were level). Chunk reset with the multi-step rule as the judge (regenerate a wrong step, at most 4 attempts) raises final accuracy by 0.15 or more over plain sampling on the same problems and seed; with our trained judge it does not (from −0.08 to +0.02): the toy judge is not yet good enough to help, and the paper’s finding that the relative rules train a better judge than Abs-Q is not tested here.',
    config: {
      algorithm: 'stepwiser',
      task: 'multi-step',
      difficulty: { steps: 2, max: 5 },
      model: { preset: 'tiny', contextLength: 32 },
      sft: { steps: 900, batch: 32, lr: 1e-2 },
      grpo: { max_completion_length: 20, prompts_per_step: 32, learning_rate: 1e-2 },
      stepwiser: { rule: 'abs_q', solutions: 96, held_out: 48, refresh_every: 5, judge_sft_steps: 150, reset_attempts: 4, reset_problems: 64 },
      iterations: 60,
      eval: { n: 32, every: 10 },
    },
    claim: [
      { kind: 'rises', metric: 'reward', by: 0.1 },
      { kind: 'rises', metric: 'stepwiser/judge_accuracy', by: 0.04, window: 1 },
      { kind: 'exceeds', metric: 'stepwiser/positive_share_relRatio', over: 'stepwiser/positive_share_absQ', by: 0.03, window: 1 },
      { kind: 'exceeds', metric: 'stepwiser/positive_share_absQ', over: 'stepwiser/positive_share_relEffective', by: 0.03, window: 1 },
      { kind: 'exceeds', metric: 'stepwiser/acc_with_rule_reset', over: 'stepwiser/acc_without_reset', by: 0.15, window: 1 },
    ],
    plots: ['stepwiser/acc_positive', 'stepwiser/acc_negative', 'stepwiser/acc_with_rule_reset', 'stepwiser/positive_share_absQ', 'stepwiser/positive_share_relRatio', 'stepwiser/positive_share_relEffective'],
  },
];

/** What the app shows when a page opens without run settings. */
export const DEFAULT_PRESET: Preset = PRESETS[0];

export function getPreset(id: string): Preset {
  const preset = PRESETS.find((p) => p.id === id);
  if (!preset) throw new Error(`unknown preset "${id}" (available: ${PRESETS.map((p) => p.id).join(', ')})`);
  return preset;
}
