/**
 * A run config small enough for SwiftShader at ~0.1 GFLOP/s on a 2-core CI box: 1-digit addition, a 1-layer
 * width-16 model, 2 prompts × 4 completions of at most 3 tokens, 5 SFT steps, 2 GRPO iterations, 8 held-out
 * prompts. Shared by the e2e tests and the in-process worker tests.
 */
export const TINY_RUN = {
  task: 'addition',
  difficulty: { digits: 1 },
  seed: 3,
  model: { preset: 'tiny', nLayer: 1, nEmbd: 16, nHead: 2, contextLength: 16 },
  sft: { steps: 5, batch: 8, lr: 3e-3 },
  grpo: { num_generations: 4, prompts_per_step: 2, max_completion_length: 3 },
  iterations: 2,
  eval: { n: 8, every: 1 },
};
