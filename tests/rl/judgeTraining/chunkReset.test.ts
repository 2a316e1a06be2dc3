/** Chunk-reset sampling: hand-scripted steps, batch bookkeeping, and a real weakly trained policy with the rule judge. */
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../../../src/engine/backend/wasm';
import { Rng } from '../../../src/engine/rng';
import { presetConfig } from '../../../src/model/config';
import { CharTokenizer } from '../../../src/model/tokenizer';
import { Transformer } from '../../../src/model/transformer';
import { chunkReset, modelStepSampler, textStepJudge, type StepSampler } from '../../../src/rl/judgeTraining/chunkReset';
import { expectedStep, multiStepRuleJudge } from '../../../src/rl/judgeTraining/multiStepRules';
import { multiStep, STEP_SEPARATOR } from '../../../src/rl/tasks/multiStep';
import { DemonstrationStream, warmStartTrainer } from '../../../src/rl/warmStart';

/** Continuations by prompt: the i-th request for a prompt gets its i-th script entry (the last one after that). */
function scripted(script: Record<string, string[]>, calls: Array<{ prompts: readonly string[]; maxNewTokens: number; round: number }> = []): StepSampler {
  const seen = new Map<string, number>();
  return async (prompts, maxNewTokens, round) => {
    calls.push({ prompts, maxNewTokens, round });
    return prompts.map((p) => {
      const lines = script[p];
      if (!lines) throw new Error(`no script for ${p}`);
      const i = seen.get(p) ?? 0;
      seen.set(p, i + 1);
      return lines[Math.min(i, lines.length - 1)];
    });
  };
}

const base = { separator: STEP_SEPARATOR, stepTokens: 12, maxNewTokens: 20 };
const script = { '5+3=': ['5+3=9;#9', '5+3=8;#8'], '5+3=5+3=8;': ['#8'], '5+3=5+3=9;': ['#9'] };

describe('chunk reset', () => {
  it('regenerates a step judged negative from the same prefix', async () => {
    const calls: Array<{ prompts: readonly string[]; maxNewTokens: number; round: number }> = [];
    const [r] = await chunkReset(['5+3='], scripted(script, calls), multiStepRuleJudge, { ...base, maxAttempts: 3 });
    expect(r).toEqual({ completion: '5+3=8;#8', steps: ['5+3=8', '#8'], accepted: 2, rejected: 1, forced: 0 });
    expect(calls.map((c) => [c.prompts, c.round])).toEqual([[['5+3='], 0], [['5+3='], 1], [['5+3=5+3=8;'], 2]]);
  });

  it('keeps the last attempt when all are judged negative, and with one attempt never regenerates', async () => {
    const [once] = await chunkReset(['5+3='], scripted(script), multiStepRuleJudge, { ...base, maxAttempts: 1 });
    expect(once).toEqual({ completion: '5+3=9;#9', steps: ['5+3=9', '#9'], accepted: 1, rejected: 0, forced: 1 });
    const [stuck] = await chunkReset(['5+3='], scripted({ '5+3=': ['5+3=7;'], '5+3=5+3=7;': ['#7'] }), multiStepRuleJudge, { ...base, maxAttempts: 4 });
    expect(stuck).toEqual({ completion: '5+3=7;#7', steps: ['5+3=7', '#7'], accepted: 1, rejected: 3, forced: 1 });
  });

  it('samples every unfinished solution in one call per round, within each one’s budget', async () => {
    const calls: Array<{ prompts: readonly string[]; maxNewTokens: number; round: number }> = [];
    const more = { ...script, '1+1=': ['1+1=2;#2222222'], '1+1=1+1=2;': ['#2222222'] };
    const results = await chunkReset(['5+3=', '1+1='], scripted(more, calls), multiStepRuleJudge, { ...base, maxAttempts: 3, maxNewTokens: 8 });
    expect(calls.map((c) => c.prompts.length)).toEqual([2, 2, 1]);
    expect(calls[0].maxNewTokens).toBe(8);
    // After "1+1=2;" two characters of budget are left: the answer step is cut to "#2" and the solution ends.
    expect(results[1]).toMatchObject({ completion: '1+1=2;#2', accepted: 2, rejected: 0 });
    expect(results[0].completion).toBe('5+3=8;#8');
    await expect(chunkReset(['1+1='], scripted(more), multiStepRuleJudge, { ...base, maxAttempts: 0 })).rejects.toThrow(/maxAttempts must be a positive integer \(got 0\)/);
  });

  it('takes a trained step judge through its text format (an unreadable verdict is negative)', async () => {
    const seen: string[] = [];
    const judge = textStepJudge(async (prompt) => (seen.push(prompt), prompt.includes('=9') ? '8:N' : prompt.includes('#') ? '?' : '8:P'), STEP_SEPARATOR);
    const [r] = await chunkReset(['5+3='], scripted(script), judge, { ...base, maxAttempts: 3 });
    expect(seen.slice(0, 3)).toEqual(['5+3=>5+3=9?', '5+3=>5+3=8?', '5+3=5+3=8;>#8?']);
    // "5+3=9" is rejected once, "#8" twice (unreadable), then kept on its third attempt.
    expect(r).toEqual({ completion: '5+3=8;#8', steps: ['5+3=8', '#8'], accepted: 1, rejected: 3, forced: 1 });
  });

  it('raises a weakly trained policy’s accuracy with the rule judge (seeded)', { timeout: 120_000 }, async () => {
    const be = await createWasmBackend();
    const tok = new CharTokenizer(multiStep.alphabet);
    const policy = Transformer.init(be, presetConfig('tiny', tok.vocabSize, { contextLength: 32 }), 1);
    const difficulty = { steps: 2, max: 5 };
    const sft = warmStartTrainer(be, policy, tok, { steps: SFT_STEPS, lr: 1e-2 });
    const demos = new DemonstrationStream(multiStep, difficulty, 1, 32);
    for (let s = 0; s < SFT_STEPS; s++) await sft.step(demos.next());
    const rng = new Rng(11);
    const instances = Array.from({ length: 48 }, () => multiStep.generate(rng, difficulty));
    const problems = instances.map((x) => x.prompt);
    const sampler = modelStepSampler(be, policy, tok, { temperature: 1, seed: 5, stream: 0 });
    const accuracy = async (maxAttempts: number) => {
      const out = await chunkReset(problems, sampler, multiStepRuleJudge, { separator: STEP_SEPARATOR, stepTokens: 10, maxNewTokens: 20, maxAttempts });
      const right = out.filter((r, i) => multiStep.verify(multiStep.extractAnswer(r.completion), instances[i]).score === 1).length;
      return { accuracy: right / out.length, rejected: out.reduce((s, r) => s + r.rejected, 0) };
    };
    const plain = await accuracy(1);
    const reset = await accuracy(4);
    console.log(`chunk reset, ${SFT_STEPS} SFT steps: accuracy ${plain.accuracy.toFixed(3)} without reset, ${reset.accuracy.toFixed(3)} with (${reset.rejected} steps regenerated)`);
    expect(plain.rejected).toBe(0);
    expect(reset.rejected).toBeGreaterThan(0);
    expect(plain.accuracy).toBeLessThan(0.35);
    expect(reset.accuracy).toBeGreaterThan(plain.accuracy + 0.1);
    // The rule judge is the task's own arithmetic: step by step, its expected steps write the demonstration.
    for (const inst of instances) {
      const steps: string[] = [];
      while (!steps.at(-1)?.startsWith('#')) steps.push(expectedStep(inst.prompt, steps));
      expect(steps.join(STEP_SEPARATOR)).toBe(inst.demonstration);
    }
  });
});

/**
 * Weak enough that a third or fewer of its solutions are right without reset (with 600 steps and sampling seeds
 * 5–8: 0.19/0.23/0.13/0.13 without, 0.50/0.38/0.40/0.46 with 4 attempts; 400 steps gave no gain, 1500 steps
 * 0.75 → 0.90).
 */
const SFT_STEPS = 600;
