/** The kept set as a file: a round trip, every malformed file refused with what is wrong, and the set as a task. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/engine/rng';
import { instancesTask, KEPT_SET_FORMAT, keptSetJson, keptSetTask, parseKeptSet, type KeptSet } from '../../../src/rl/selfInstruct/keptSet';
import { getTask } from '../../../src/rl/tasks/registry';

const set = (): KeptSet => ({
  format: KEPT_SET_FORMAT,
  version: 1,
  task: 'addition',
  proposer: 'policy',
  filter: 'answer-matching',
  label: 'stated',
  seed: 4,
  iterations: 10,
  instances: [
    { prompt: '15+20=', answer: '35', demonstration: '35', stated: '35', passRate: 0.75 },
    { prompt: '7+4=', answer: '11', demonstration: '11', stated: '12', passRate: 0.125 },
  ],
});

const refusal = (edit: (s: KeptSet & Record<string, unknown>) => void): string => {
  const s = set() as KeptSet & Record<string, unknown>;
  edit(s);
  try {
    parseKeptSet(JSON.stringify(s));
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
};

describe('kept set file', () => {
  it('round-trips through its JSON text', () => {
    expect(parseKeptSet(keptSetJson(set()))).toEqual(set());
    const countdown = { ...set(), task: 'countdown', instances: [{ prompt: '1,6,8>14=', answer: '14', demonstration: '6+8', stated: '8+6', passRate: 0.5 }] };
    expect(parseKeptSet(keptSetJson(countdown))).toEqual(countdown);
  });

  it('refuses a malformed file, naming what is wrong and where', () => {
    expect(() => parseKeptSet('{"format":')).toThrow(/self-instruct set is not valid JSON/);
    expect(refusal((s) => (s.format = 'something-else' as typeof KEPT_SET_FORMAT))).toMatch(/format: must be "grpo-playground\/self-instruct-set" \(got "something-else"\): not a self-instruct set/);
    expect(refusal((s) => (s.task = 'algebra'))).toMatch(/task: unknown task "algebra"/);
    expect(refusal((s) => (s.instances = []))).toMatch(/instances: must hold at least one kept proposal/);
    expect(refusal((s) => (s.instances[1].passRate = 2))).toMatch(/instances\.1\.passRate: must be a number in \[0, 1\] \(got 2\)/);
    expect(refusal((s) => delete (s.instances[0] as Partial<KeptSet['instances'][0]>).stated)).toMatch(/instances\.0\.stated: must be text \(got nothing\)/);
    expect(refusal((s) => (s.extra = 1))).toMatch(/extra: unknown option/);
    expect(refusal((s) => (s.label = 'majority' as KeptSet['label']))).toMatch(/label: must be one of stated, gold \(got "majority"\)/);
    // Sound as JSON, wrong for the task: the gold answer, the grammar, the alphabet, the demonstration.
    expect(refusal((s) => (s.instances[1].answer = '12'))).toMatch(/instances\.1\.answer: "12" is not the answer of "7\+4=" \(the task computes "11"\)/);
    expect(refusal((s) => (s.instances[0].prompt = '015+20='))).toMatch(/instances\.0\.prompt: "015\+20" is not two numbers/);
    expect(refusal((s) => (s.instances[0].prompt = '15-20='))).toMatch(/instances\.0: "-" outside the addition alphabet/);
    expect(refusal((s) => (s.instances[0].prompt = '15+20'))).toMatch(/instances\.0\.prompt: "15\+20" does not end with "="/);
    expect(refusal((s) => (s.instances[0].demonstration = '36'))).toMatch(/instances\.0\.demonstration: "36" does not solve "15\+20="/);
  });

  it('serves as the training task of a run of the same task, drawing only its prompts', () => {
    const task = keptSetTask(parseKeptSet(keptSetJson(set())), 'addition');
    const rng = new Rng(1);
    const prompts = new Set(Array.from({ length: 50 }, () => task.generate(rng, {}).prompt));
    expect([...prompts].sort()).toEqual(['15+20=', '7+4=']);
    // Labelled with the stated answers: the wrong "12" of 7+4 is what the reward checks.
    const sevenPlusFour = task.generate({ int: () => 1 } as unknown as Rng, {});
    expect(task.verify('12', sevenPlusFour).score).toBe(1);
    expect(task.verify('11', sevenPlusFour).score).toBe(0);
    const gold = keptSetTask({ ...set(), label: 'gold' }, 'addition').generate({ int: () => 1 } as unknown as Rng, {});
    expect(task.verify('11', gold).score).toBe(1);
    expect(() => keptSetTask(set(), 'multiplication')).toThrow(/holds addition instances, but the run's task is multiplication/);
    expect(() => instancesTask(getTask('addition'), () => []).generate(rng, {})).toThrow(/the list of instances is empty/);
  });
});
