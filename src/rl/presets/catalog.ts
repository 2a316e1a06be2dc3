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
      { kind: 'exceeds', metric: 'stepwiser/positive_share_relRatio', than: 'stepwiser/positive_share_absQ', by: 0.03, window: 1 },
      { kind: 'exceeds', metric: 'stepwiser/positive_share_absQ', than: 'stepwiser/positive_share_relEffective', by: 0.03, window: 1 },
      { kind: 'exceeds', metric: 'stepwiser/acc_with_rule_reset', than: 'stepwiser/acc_without_reset', by: 0.15, window: 1 },
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
