/** CoT-Self-Instruct: proposal grammars, the scripted proposer, the two filters and the difficulty histogram. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/engine/rng';
import { CharTokenizer } from '../../../src/model/tokenizer';
import {
  answerMatchingFilter,
  difficultyHistogram,
  parseProposal,
  PROPOSAL_GRAMMARS,
  proposalGrammar,
  proposalTemplate,
  selfConsistencyFilter,
} from '../../../src/rl/reasoning/selfInstruct';
import { getTask } from '../../../src/rl/tasks/registry';
import { isCorrect, resolveDifficulty, type TaskInstance } from '../../../src/rl/tasks/types';

const inst = (prompt: string, answer: string, demonstration = answer): TaskInstance => ({ prompt, answer, demonstration });

describe('proposal grammars', () => {
  it('write the template from two seeds and parse a proposal into a verifiable instance', () => {
    const add = proposalGrammar('addition');
    expect(proposalTemplate(add, inst('12+34=', '46'), inst('23+11=', '34'))).toBe('12+34=46=23+11=34=');
    const p = parseProposal(add, '15+20=35');
    expect(p).toEqual({ ok: true, instance: inst('15+20=', '35'), stated: '35' });
    // A wrong stated answer still parses: the instance keeps the task's gold, answer-matching judges the claim.
    expect(parseProposal(add, '15+20=36')).toEqual({ ok: true, instance: inst('15+20=', '35'), stated: '36' });
    const cd = proposalGrammar('countdown');
    expect(proposalTemplate(cd, inst('3,5,7>22=', '22', '3*5+7'), inst('2,4>8=', '8', '2*4'))).toBe('3,5,7>22=3*5+7=2,4>8=2*4=');
    expect(parseProposal(cd, '1,6,8>14=6+8')).toEqual({ ok: true, instance: inst('1,6,8>14=', '14', '6+8'), stated: '6+8' });
    const ms = parseProposal(proposalGrammar('multi-step'), '5+3*2=16');
    // 5+3 = 8, 8·2 = 16.
    expect(ms).toEqual({ ok: true, instance: inst('5+3*2=', '16', '5+3=8;8*2=16;#16'), stated: '16' });
  });

  it('reject proposals outside the grammar with the reason', () => {
    const reject = (task: string, text: string) => {
      const p = parseProposal(proposalGrammar(task), text);
      return p.ok ? 'kept' : p.reason;
    };
    expect(reject('addition', '15+20')).toMatch(/not one problem=answer record/);
    expect(reject('addition', '15+20=')).toMatch(/states no answer/);
    expect(reject('addition', '015+2=17')).toMatch(/not two numbers of 1–6 digits joined by "\+"/);
    expect(reject('multiplication', '3+4=7')).toMatch(/joined by "\*"/);
    expect(reject('multi-step', '5+0=5')).toMatch(/digits 1–9 joined by/);
    expect(reject('countdown', '1,6,8>14=6*8')).toMatch(/does not solve "1,6,8>14": 6\*8 = 48, not 14/);
    expect(reject('countdown', '1,6,6>12=6+6+6')).toMatch(/does not solve[\s\S]*reuses one/);
    expect(reject('countdown', '60,1>61=60+1')).toMatch(/numbers 1–50/);
    expect(() => proposalGrammar('parity')).toThrow(/task "parity" declares no proposal grammar \(have: addition, multiplication, multi-step, countdown\)/);
  });

  it('the scripted proposer writes valid, tokenizable proposals whose stated answer is right', () => {
    for (const [name, grammar] of Object.entries(PROPOSAL_GRAMMARS)) {
      const task = getTask(name);
      const tok = new CharTokenizer(task.alphabet);
      const d = resolveDifficulty(task);
      let novel = 0;
      for (let i = 0; i < 100; i++) {
        const rng = new Rng(500 + i);
        const a = task.generate(rng, d), b = task.generate(rng, d);
        const text = grammar.propose(rng, a, b);
        tok.encode(proposalTemplate(grammar, a, b) + text);
        const p = parseProposal(grammar, text);
        if (!p.ok) throw new Error(`${name}: "${text}" rejected: ${p.reason}`);
        expect(isCorrect(task, task.extractAnswer(p.instance.demonstration), p.instance), `${name}: ${text}`).toBe(true);
        expect(grammar.answerKey(p.stated, p.instance)).toBe(grammar.answerKey(task.extractAnswer(p.instance.demonstration), p.instance));
        if (p.instance.prompt !== a.prompt && p.instance.prompt !== b.prompt) novel++;
      }
      // Crossing two seeds mostly makes a problem that is neither of them.
      expect(novel, name).toBeGreaterThan(50);
    }
  });

  it('countdown answers compare by value when they use the given numbers', () => {
    const g = proposalGrammar('countdown'), x = inst('3,5,7>22=', '22', '3*5+7');
    expect(g.answerKey('3*5+7', x)).toBe('22');
    expect(g.answerKey('7+5*3', x)).toBe('22');
    expect(g.answerKey('7+7+8', x)).toBeNull(); // 8 is not given
    expect(g.answerKey('3*', x)).toBeNull();
  });
});

describe('filters', () => {
  it('answer-matching keeps a proposal whose stated answer is the majority of K = 4 policy answers', () => {
    const r = answerMatchingFilter([
      { statedKey: '35', answerKeys: ['35', '35', '34', null] }, // majority 35 (2 of 4) = stated → keep
      { statedKey: '36', answerKeys: ['35', '35', '36', '35'] }, // majority 35 ≠ 36 → drop
      { statedKey: '7', answerKeys: ['7', '8', '8', '7'] }, // tie 7/8, 7 seen first → keep
      { statedKey: null, answerKeys: [null, null, null, null] }, // no stated answer → drop
    ]);
    expect(r).toEqual({ kept: [true, false, true, false], keptFraction: 0.5 });
  });

  it('self-consistency keeps a proposal whose majority share reaches the threshold', () => {
    const sets = [
      ['1', '1', '1', '2'], // share 3/4 = 0.75
      ['1', '2', '3', '1'], // 2/4 = 0.5
      ['1', '1', null, null], // 2/4 = 0.5 (unanswered count in the denominator)
      [null, null, null, null], // no answer → drop
    ];
    expect(selfConsistencyFilter(sets, 0.5)).toEqual({ kept: [true, true, true, false], keptFraction: 0.75 });
    expect(selfConsistencyFilter(sets, 0.75)).toEqual({ kept: [true, false, false, false], keptFraction: 0.25 });
    expect(() => selfConsistencyFilter(sets, 0)).toThrow(/threshold must be in \(0, 1\] \(got 0\)/);
  });

  it('difficulty histogram: fractions per pass-rate bin, 1 in the last bin', () => {
    // 4 bins [0,.25) [.25,.5) [.5,.75) [.75,1]. Seed 0, 0.3, 1, 1 → 1,1,0,2 of 4. Synthetic 0.5, 0.74 → 0,0,2,0 of 2.
    expect(difficultyHistogram({ seed: [0, 0.3, 1, 1], synthetic: [0.5, 0.74] }, 4)).toEqual({
      binEdges: [0, 0.25, 0.5, 0.75, 1],
      seed: [0.25, 0.25, 0, 0.5],
      synthetic: [0, 0, 1, 0],
    });
    expect(() => difficultyHistogram({ seed: [1.5], synthetic: [] }, 4)).toThrow(/pass rate must be in \[0, 1\] \(got 1.5\)/);
  });
});
