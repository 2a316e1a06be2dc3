/** StepWiser step-judge data: labels flip on a corrupted step, class balancing counts, the step-judge task. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/engine/rng';
import { expectedStep, multiStepAnalysis, multiStepLabel } from '../../../src/rl/judgeTraining/multiStepRules';
import { balanceLabels, labelBalanceByRule, parseStepVerdict, stepExamples, stepJudgeTask, type StepExample } from '../../../src/rl/judgeTraining/stepData';
import { stepValuesFrom, type ContinuationSampler } from '../../../src/rl/judges/stepwiser';
import { multiStep, STEP_SEPARATOR } from '../../../src/rl/tasks/multiStep';

const problem = '5+3*2-4=';
const instance = { prompt: problem, answer: '12', demonstration: '5+3=8;8*2=16;16-4=12;#12' };
const M = 4;

/**
 * A scripted policy: it continues a prefix by doing the arithmetic from whatever result was written last, and
 * continuation 0 of every M slips (its first new result is off by one). So a sound prefix has Q̂ = 3/4 and a
 * prefix carrying a wrong result has Q̂ = 0.
 */
const continuer: ContinuationSampler = {
  tokens: (text) => [...text].length,
  async sample(prompt, count, budget) {
    const prefix = prompt.slice(problem.length);
    return Array.from({ length: count }, (_, j) => {
      const history = prefix.split(STEP_SEPARATOR).filter((s) => s.length);
      let text = '';
      for (let slip = j === 0; ; slip = false) {
        let step = expectedStep(problem, history);
        if (slip) step = step.replace(/-?\d+$/, (v) => String(Number(v) + 1));
        text += step;
        if (step.startsWith('#')) break;
        text += STEP_SEPARATOR;
        history.push(step);
      }
      return text.slice(0, budget);
    });
  },
};

/** A solution whose step `k` has a wrong result and whose later steps carry it, as a policy would. */
function corrupted(k: number): string {
  const history: string[] = [];
  for (;;) {
    let step = expectedStep(problem, history);
    if (history.length === k) step = step.replace(/-?\d+$/, (v) => String(Number(v) + 1));
    if (step.startsWith('#')) return [...history, step].join(STEP_SEPARATOR);
    history.push(step);
  }
}

const opts = { M, gamma: 0.8, alpha: 0.8, bestOf: 4, maxNewTokens: 30, separator: STEP_SEPARATOR };

describe('StepWiser labels', () => {
  it('flip on a corrupted step: earlier steps stay positive, the corrupted one and (Abs-Q) the later ones go negative', async () => {
    const good = await stepValuesFrom(continuer, multiStep, instance, instance.demonstration, opts);
    expect(good.map((v) => v.step)).toEqual(['5+3=8', '8*2=16', '16-4=12']);
    expect(good.map((v) => v.q)).toEqual([0.75, 0.75, 0.75]);
    for (const v of good) expect([v.absQ, v.relRatio, v.relEffective]).toEqual([true, true, true]);

    const badText = corrupted(1);
    expect(badText).toBe('5+3=8;8*2=17;17-4=13;#13');
    const bad = await stepValuesFrom(continuer, multiStep, instance, badText, opts);
    expect(bad.map((v) => v.q)).toEqual([0.75, 0, 0]);
    expect(bad.map((v) => v.absQ)).toEqual([true, false, false]);
    // Rel-Ratio: 0 / 0.75 = 0 < γ at the corrupted step; after it 0/0 counts as ratio 1 > γ, so it is not blamed again.
    expect(bad.map((v) => v.relRatio)).toEqual([true, false, true]);
    // Rel-Effective: 0 + α·(Q^μ(0) − Q^μ(0.75)) < 0, then 0 + α·0 = 0, which is not > 0.
    expect(bad.map((v) => v.relEffective)).toEqual([true, false, false]);

    const examples = stepExamples(problem, bad, 'absQ');
    expect(examples.map((e) => e.label)).toEqual(['positive', 'negative', 'negative']);
    expect(examples[2]).toEqual({ problem, history: ['5+3=8', '8*2=17'], step: '17-4=13', label: 'negative' });
  });

  it('are counted per rule over many solutions', async () => {
    const good = await stepValuesFrom(continuer, multiStep, instance, instance.demonstration, opts);
    const bad = await stepValuesFrom(continuer, multiStep, instance, corrupted(1), opts);
    expect(labelBalanceByRule([good, bad])).toEqual({
      absQ: { positive: 4, negative: 2 },
      relRatio: { positive: 5, negative: 1 },
      relEffective: { positive: 4, negative: 2 },
    });
  });

  it('are negative from the first step when the first step is corrupted', async () => {
    const bad = await stepValuesFrom(continuer, multiStep, instance, corrupted(0), opts);
    expect(bad.map((v) => v.absQ)).toEqual([false, false, false]);
  });
});

describe('class balancing', () => {
  const ex = (label: 'positive' | 'negative', i: number): StepExample => ({ problem: `${i}+1=`, history: [], step: `${i}`, label });
  const examples = ['positive', 'positive', 'negative', 'positive', 'positive', 'negative', 'positive'].map((l, i) => ex(l as 'positive' | 'negative', i));

  it('down-samples the majority to the minority count, seeded, keeping every minority example in order', () => {
    const b = balanceLabels(examples, new Rng(4));
    expect(b.before).toEqual({ positive: 5, negative: 2 });
    expect(b.after).toEqual({ positive: 2, negative: 2 });
    expect(b.examples.filter((e) => e.label === 'negative').map((e) => e.step)).toEqual(['2', '5']);
    const steps = b.examples.map((e) => Number(e.step));
    expect(steps).toEqual([...steps].sort((x, y) => x - y));
    expect(balanceLabels(examples, new Rng(4)).examples).toEqual(b.examples);
    const kept = new Set(Array.from({ length: 20 }, (_, s) => balanceLabels(examples, new Rng(s)).examples.map((e) => e.step).join()));
    expect(kept.size).toBeGreaterThan(1);
  });

  it('balances a negative majority too, and returns nothing when one label is absent', () => {
    const flipped = examples.map((e) => ({ ...e, label: e.label === 'positive' ? ('negative' as const) : ('positive' as const) }));
    expect(balanceLabels(flipped, new Rng(1)).after).toEqual({ positive: 2, negative: 2 });
    const allPositive = examples.filter((e) => e.label === 'positive');
    expect(balanceLabels(allPositive, new Rng(1))).toEqual({ examples: [], before: { positive: 5, negative: 0 }, after: { positive: 0, negative: 0 } });
  });
});

describe('step-judge task', () => {
  it('shows problem, history and new step; its demonstrations analyse, then give the label', () => {
    const examples = stepExamples(problem, [{ step: '5+3=8', absQ: true, relRatio: true, relEffective: true }, { step: '8*2=17', absQ: false, relRatio: false, relEffective: false }], 'relRatio');
    const task = stepJudgeTask(examples, { policyAlphabet: multiStep.alphabet, separator: STEP_SEPARATOR, analyse: multiStepAnalysis });
    expect(task.instances.map((x) => [x.prompt, x.demonstration])).toEqual([
      ['5+3*2-4=>5+3=8?', '8:P'],
      ['5+3*2-4=5+3=8;>8*2=17?', '16:N'],
    ]);
    for (const x of task.instances) expect(task.verify(task.extractAnswer(x.demonstration), x).score).toBe(1);
    expect(task.verify(task.extractAnswer('16:P'), task.instances[1])).toMatchObject({ score: 0, label: 'wrong' });
    expect(task.verify(task.extractAnswer('16'), task.instances[1])).toMatchObject({ score: 0, label: 'malformed' });
    expect(parseStepVerdict('1:P:N')).toEqual({ label: null, reason: 'more than one verdict' });
    expect(parseStepVerdict('')).toEqual({ label: null, reason: 'empty output' });
    expect(() => stepJudgeTask(examples, { policyAlphabet: 'NP01', separator: ';', analyse: () => '' })).toThrow(/StepWiser step judge: the policy's alphabet already uses "P", "N"/);
  });

  it('has a multi-step rule that checks each step against the history written before it', () => {
    expect(expectedStep(problem, [])).toBe('5+3=8');
    expect(expectedStep(problem, ['5+3=9'])).toBe('9*2=18');
    expect(expectedStep(problem, ['5+3=8', '8*2=16', '16-4=12'])).toBe('#12');
    expect(expectedStep('2-9=', [])).toBe('2-9=-7');
    expect(multiStepLabel(problem, ['5+3=8'], '8*2=16')).toBe('positive');
    expect(multiStepLabel(problem, ['5+3=8'], '8*2=17')).toBe('negative');
    expect(multiStepLabel(problem, ['5+3=8'], '8+2=10')).toBe('negative');
    expect(multiStepLabel(problem, ['5+3=x'], '#8')).toBe('negative');
    expect(multiStepAnalysis(problem, ['5+3=8', '8*2=16', '16-4=12'])).toBe('12');
  });
});
