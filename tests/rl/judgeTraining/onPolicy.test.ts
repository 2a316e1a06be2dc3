/** On-policy reward-model data (balanced and pivot pairs, pointwise instances) and a judge as the policy's reward. */
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../../../src/engine/backend/wasm';
import { Rng } from '../../../src/engine/rng';
import { presetConfig } from '../../../src/model/config';
import { CharTokenizer } from '../../../src/model/tokenizer';
import { Transformer } from '../../../src/model/transformer';
import { parseJ1Verdict, type PolicyGroup } from '../../../src/rl/judgeTraining/j1';
import { choosePivots, onPolicyPairs, pairwiseScore, pivotRewardJudge, pointwiseInstances, pointwiseRewardJudge, pointwiseTask } from '../../../src/rl/judgeTraining/onPolicy';
import { modelTextJudge, type TextJudge } from '../../../src/rl/judgeTraining/textJudge';
import { scoreCompletion } from '../../../src/rl/rewards';
import { addition } from '../../../src/rl/tasks/arithmetic';

const answers = (gold: string, given: string[]) => given.map((completion) => ({ completion, correct: completion === gold }));
const groups: PolicyGroup[] = [
  { problem: '3+4=', gold: '7', answers: answers('7', ['7', '8', '7', '6', '5']) },
  { problem: '2+2=', gold: '4', answers: answers('4', ['4', '4', '4', '4']) },
  { problem: '1+5=', gold: '6', answers: answers('6', ['9', '6', '6', '6']) },
];

describe('on-policy judge pairs', () => {
  it('balanced: each rollout used once, as many correct as incorrect, the correct one first in half the pairs', () => {
    const out = onPolicyPairs(groups, new Rng(3), { pairing: 'balanced', maxPromptChars: 64 });
    // 3+4=: min(2 correct, 3 incorrect) = 2 pairs; 2+2=: one kind only; 1+5=: min(3, 1) = 1 pair.
    expect(out.pairs.map((p) => p.problem)).toEqual(['3+4=', '3+4=', '1+5=']);
    expect(out.skippedOneKind).toBe(1);
    expect([out.chosenFirst, out.chosenSecond]).toEqual([2, 1]);
    expect(out.pairs.map((p) => p.correct)).toEqual(['A', 'B', 'A']);
    const rejected = out.pairs.slice(0, 2).map((p) => (p.correct === 'A' ? p.b : p.a));
    expect(new Set(rejected).size).toBe(2);
    for (const p of out.pairs) expect(p.correct === 'A' ? p.a : p.b).toBe(p.problem === '3+4=' ? '7' : '6');
  });

  it('pivot: every other rollout against one random rollout of its group; equally correct ones are ties', () => {
    const out = onPolicyPairs([groups[0]], new Rng(9), { pairing: 'pivot', maxPromptChars: 64 });
    // 4 rollouts meet the pivot: those of the pivot's kind are ties, the rest pairs.
    expect(out.pairs.length + out.skippedTies).toBe(4);
    const pivotCorrect = out.skippedTies === 1;
    expect(out.pairs.length).toBe(pivotCorrect ? 3 : 2);
    const pivot = out.pairs.map((p) => (p.correct === 'A') === pivotCorrect ? p.a : p.b);
    expect(new Set(pivot).size).toBe(1);
    expect(Math.abs(out.chosenFirst - out.chosenSecond)).toBeLessThanOrEqual(1);
  });

  it('pointwise: as many correct as incorrect answers per prompt, with a verifiable demonstration', () => {
    const inst = pointwiseInstances(groups, new Rng(2), 64);
    expect(inst.map((x) => x.answer)).toEqual(['Y', 'Y', 'N', 'N', 'Y', 'N']);
    expect(inst[0]).toEqual({ prompt: '3+4=A7|', answer: 'Y', demonstration: '7[[Y]]' });
    const task = pointwiseTask(addition.alphabet, inst);
    for (const x of task.instances) expect(task.verify(task.extractAnswer(x.demonstration), x).score).toBe(1);
    expect(task.verify(task.extractAnswer('7[[N]]'), inst[0])).toMatchObject({ score: 0, label: 'wrong' });
  });
});

/** A judge that recomputes the sum and picks what matches (a stand-in for a trained model's text output). */
const sumJudge: TextJudge = async (prompt) => {
  const [, x, y, a, pairwise] = /^(\d+)\+(\d+)=A(\d*)(B\d*)?\|$/.exec(prompt) ?? [];
  const gold = String(Number(x) + Number(y));
  if (pairwise === undefined) return `${gold}[[${a === gold ? 'Y' : 'N'}]]`;
  return `${gold}[[${a === gold ? 'A' : 'B'}]]`;
};
/** A judge that always names the first position. */
const firstJudge: TextJudge = async () => '[[A]]';

describe('a judge as the reward', () => {
  it('scores pairwise against a pivot in both orders: 1, 0, or ½ when the orders disagree', async () => {
    expect((await pairwiseScore(sumJudge, '3+4=', '7', '8')).score).toBe(1);
    expect((await pairwiseScore(sumJudge, '3+4=', '8', '7')).score).toBe(0);
    const split = await pairwiseScore(firstJudge, '3+4=', '8', '7');
    expect(split).toMatchObject({ score: 0.5, label: 'split', parts: { firstOrder: 1, secondOrder: 0 } });
    const broken = await pairwiseScore(async () => 'A', '3+4=', '7', '8');
    expect(broken.score).toBe(0);
    expect(broken.rationale).toMatch(/unreadable \(no \[\[A\]\] or \[\[B\]\] verdict\)/);
    expect(parseJ1Verdict('7[[A]]').letter).toBe('A');
  });

  it('fits the model_judge reward of scoreCompletion, pairwise with pivots and pointwise', async () => {
    const pivots = choosePivots([{ prompt: '3+4=', completions: ['8', '8'] }], new Rng(1));
    expect(pivots.get('3+4=')).toBe('8');
    const cfg = { weights: { model_judge: 1 }, overlongCache: 1, judge: { lengthBias: 0, keyword: '', keywordBias: 0, positionBias: 0, noise: 0, seed: 0 } };
    const inst = { prompt: '3+4=', answer: '7', demonstration: '7' };
    const pairwise = pivotRewardJudge(sumJudge, pivots);
    expect((await scoreCompletion(addition, inst, '7', 1, 4, cfg, 0, pairwise)).reward).toBe(1);
    expect((await scoreCompletion(addition, inst, '9', 1, 4, cfg, 0, pairwise)).reward).toBe(0.5);
    await expect(pairwise('1+1=', '2')).rejects.toThrow(/no pivot was chosen for the prompt "1\+1="/);
    const pointwise = pointwiseRewardJudge(sumJudge);
    expect((await scoreCompletion(addition, inst, '7', 1, 4, cfg, 0, pointwise)).reward).toBe(1);
    expect((await scoreCompletion(addition, inst, '6', 1, 4, cfg, 0, pointwise)).reward).toBe(0);
    expect(await pointwiseRewardJudge(async () => '7')('3+4=', '7')).toMatchObject({ score: 0, label: 'malformed' });
  });
});

describe('a judge model as text', () => {
  it('decodes greedily within its budget and its context, and refuses a prompt that fills the context', async () => {
    const be = await createWasmBackend();
    const tok = new CharTokenizer('0123456789+=AB|[]');
    const model = Transformer.init(be, presetConfig('tiny', tok.vocabSize, { contextLength: 12 }), 1);
    const judge = modelTextJudge(be, model, tok, 6);
    const out = await judge('3+4=A7B8|');
    // 1 BOS + 9 prompt characters leave 2 of the 12 context positions.
    expect([...out].length).toBeLessThanOrEqual(2);
    expect(await judge('3+4=A7B8|')).toBe(out);
    await expect(judge('33+44=A77B88|')).rejects.toThrow(/the prompt needs 14 of the judge's 12 context tokens/);
  });
});
