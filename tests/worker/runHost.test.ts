/** The worker's run host on the CPU backend: validation, warm-start, the GRPO loop with pause, reset, checkpoints. */
import { describe, expect, it } from 'vitest';
import { cpuHarness, TINY_RUN } from './engineHarness';

const configure = (h: ReturnType<typeof cpuHarness>, cfg: object) => h.send({ type: 'configure', config: JSON.stringify(cfg) });

describe('RunHost', () => {
  it('rejects a bad config listing every problem and keeps the current one', async () => {
    const h = cpuHarness();
    await configure(h, TINY_RUN);
    const bad = { ...TINY_RUN, model: { ...TINY_RUN.model, nHead: 3 }, grpo: { ...TINY_RUN.grpo, temperature: 0 } };
    await expect(configure(h, bad)).rejects.toThrow(/grpo\.temperature: must be a number in \(0, 100\] \(got 0\)[\s\S]*model\.nHead: heads \(3\) must divide the width \(16\)/);
    await expect(h.send({ type: 'configure', config: '{not json' })).rejects.toThrow(/not valid JSON/);
    expect(h.host.config.model.nHead).toBe(2);
    expect(h.host.config.grpo.num_generations).toBe(4);
  });

  it('warm-starts with progress events, then trains every iteration with metrics, rollouts and eval', async () => {
    const h = cpuHarness();
    await configure(h, TINY_RUN);
    await h.send({ type: 'warmStart' });
    const sft = h.events.filter((e) => e.kind === 'sft');
    expect(sft.map((e) => e.kind === 'sft' && e.metrics.step)).toEqual([1, 2, 3, 4, 5]);
    expect(sft.every((e) => e.kind === 'sft' && e.total === 5 && Number.isFinite(e.metrics.loss) && e.elapsedMs >= 0)).toBe(true);
    expect(h.events.some((e) => e.kind === 'baseline')).toBe(true);
    await expect(h.send({ type: 'warmStart' })).rejects.toThrow(/already warm-started/);

    await h.send({ type: 'train' });
    const its = h.events.filter((e) => e.kind === 'iteration');
    expect(its).toHaveLength(3);
    for (const e of its) {
      if (e.kind !== 'iteration') continue;
      expect(e.rollouts).toHaveLength(8);
      expect(e.metrics).toHaveProperty('reward');
      expect(e.metrics).toHaveProperty('frac_reward_zero_std');
      expect(e.eval).not.toBeNull();
      expect(e.rollouts[0].logprobs.length).toBe(e.rollouts[0].tokens.length);
    }
    expect(h.events.at(-1)).toMatchObject({ kind: 'status', status: 'done', iteration: 3 });
    await expect(h.send({ type: 'step' })).rejects.toThrow(/all 3 iterations have run/);
  });

  it('Train on a fresh run warm-starts first (its own progress, then the baseline), then trains', async () => {
    const h = cpuHarness();
    await configure(h, TINY_RUN);
    await h.send({ type: 'train' });
    const kinds = h.events.filter((e) => e.kind !== 'checkpoint').map((e) => (e.kind === 'status' ? e.status : e.kind));
    expect(kinds).toEqual(['idle', 'warming', 'sft', 'sft', 'sft', 'sft', 'sft', 'baseline', 'running', 'iteration', 'iteration', 'iteration', 'done']);
    expect(h.events.at(-1)).toMatchObject({ kind: 'status', status: 'done', iteration: 3, sftDone: true });
    // The same run as warm-start, then Train.
    const apart = cpuHarness();
    await configure(apart, TINY_RUN);
    await apart.send({ type: 'warmStart' });
    await apart.send({ type: 'train' });
    const rewards = (events: typeof h.events) => events.flatMap((e) => (e.kind === 'iteration' ? [e.metrics.reward] : []));
    expect(rewards(h.events)).toEqual(rewards(apart.events));
  });

  it('Step on a fresh run warm-starts, then runs one iteration; a run without warm-start steps starts GRPO at once', async () => {
    const h = cpuHarness();
    await configure(h, TINY_RUN);
    await h.send({ type: 'step' });
    expect(h.events.filter((e) => e.kind === 'sft')).toHaveLength(5);
    expect(h.events.filter((e) => e.kind === 'status').map((e) => e.kind === 'status' && e.status)).toEqual(['idle', 'warming', 'stepping', 'paused']);
    expect(h.events.at(-1)).toMatchObject({ iteration: 1, sftDone: true });
    await expect(h.send({ type: 'warmStart' })).rejects.toThrow(/already warm-started/);

    const cold = cpuHarness();
    await configure(cold, { ...TINY_RUN, sft: { ...TINY_RUN.sft, steps: 0 } });
    await cold.send({ type: 'step' });
    expect(cold.events.some((e) => e.kind === 'sft' || e.kind === 'baseline')).toBe(false);
    expect(cold.events.at(-1)).toMatchObject({ kind: 'status', status: 'paused', iteration: 1, sftDone: false });
  });

  it('a pause during Train\'s warm-start stops right after the warm-start', async () => {
    const h = cpuHarness();
    await configure(h, TINY_RUN);
    const training = h.send({ type: 'train' });
    await new Promise<void>((resolve) => h.onEvent((e) => e.kind === 'sft' && resolve()));
    await h.send({ type: 'pause' });
    await training;
    expect(h.events.filter((e) => e.kind === 'sft')).toHaveLength(5);
    expect(h.events.some((e) => e.kind === 'iteration')).toBe(false);
    expect(h.events.at(-1)).toMatchObject({ kind: 'status', status: 'paused', iteration: 0, sftDone: true });
  });

  it('pauses between iterations and resumes; a settings change is refused while running', async () => {
    const h = cpuHarness();
    await configure(h, { ...TINY_RUN, iterations: 50 });
    const training = h.send({ type: 'train' });
    // After the first iteration, ask to pause; the loop stops at the next iteration boundary.
    await new Promise<void>((resolve) => h.onEvent((e) => e.kind === 'iteration' && resolve()));
    await expect(configure(h, TINY_RUN)).rejects.toThrow(/pause it first/);
    await h.send({ type: 'pause' });
    await training;
    const done = h.events.filter((e) => e.kind === 'iteration').length;
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThan(50);
    expect(h.events.at(-1)).toMatchObject({ kind: 'status', status: 'paused', iteration: done });
    await h.send({ type: 'step' });
    expect(h.events.filter((e) => e.kind === 'iteration').length).toBe(done + 1);
  });

  it('keeps a slow pace when asked, and a pause or reset during the wait takes effect at once', async () => {
    const h = cpuHarness();
    await configure(h, TINY_RUN);
    await expect(h.send({ type: 'setPace', minIterationMs: -1 })).rejects.toThrow(/pace must be 0 to 60000 ms/);
    await h.send({ type: 'setPace', minIterationMs: 60_000 });
    const training = h.send({ type: 'train' });
    // The first iteration runs at once; the minute-long wait after it ends with the pause.
    await new Promise<void>((resolve) => h.onEvent((e) => e.kind === 'iteration' && resolve()));
    await h.send({ type: 'pause' });
    await training;
    expect(h.events.filter((e) => e.kind === 'iteration')).toHaveLength(1);
    expect(h.events.at(-1)).toMatchObject({ kind: 'status', status: 'paused', iteration: 1 });

    const again = h.send({ type: 'train' });
    await new Promise<void>((resolve) => h.onEvent((e) => e.kind === 'iteration' && resolve()));
    await h.send({ type: 'reset' });
    await again;
    expect(h.events.filter((e) => e.kind === 'iteration')).toHaveLength(2);
    expect(h.events.at(-1)).toMatchObject({ kind: 'status', status: 'idle' });

    await h.send({ type: 'setPace', minIterationMs: 0 });
    await h.send({ type: 'train' });
    expect(h.events.at(-1)).toMatchObject({ kind: 'status', status: 'done', iteration: 3 });
  });

  it('reset stops a running loop, clears the run and renews the backend', async () => {
    const h = cpuHarness();
    await configure(h, { ...TINY_RUN, iterations: 50 });
    const training = h.send({ type: 'train' });
    await new Promise((r) => setTimeout(r, 0));
    await h.send({ type: 'reset' });
    await training;
    expect(h.events.at(-1)).toMatchObject({ kind: 'status', status: 'idle', iteration: 0, sftDone: false });
    expect(h.events.some((e) => e.kind === 'error')).toBe(false);
    expect(h.backendsCreated()).toBe(2);
    await h.send({ type: 'step' });
    expect(h.events.at(-1)).toMatchObject({ kind: 'status', status: 'paused', iteration: 1 });
  });

  it('a checkpoint saved while training is taken between two iterations and training goes on', async () => {
    const h = cpuHarness();
    await configure(h, TINY_RUN);
    const training = h.send({ type: 'train' });
    await new Promise((r) => setTimeout(r, 0));
    const saved = await h.send({ type: 'exportCheckpoint' });
    await training;
    expect(saved.weights.byteLength).toBeGreaterThan(1000);
    expect(h.events.filter((e) => e.kind === 'iteration')).toHaveLength(3);
    expect(h.events.at(-1)).toMatchObject({ kind: 'status', status: 'done', iteration: 3 });
  });

  it('exports a checkpoint and imports it into a fresh run; a foreign alphabet is refused', async () => {
    const h = cpuHarness();
    await configure(h, TINY_RUN);
    await h.send({ type: 'warmStart' });
    const ckpt = await h.send({ type: 'exportCheckpoint' });
    expect(ckpt.weights.byteLength).toBeGreaterThan(1000);

    const other = cpuHarness();
    await configure(other, { ...TINY_RUN, model: { preset: 'tiny' } });
    const { config } = await other.send({ type: 'importCheckpoint', checkpoint: ckpt });
    expect(config.model).toMatchObject({ nLayer: 1, nEmbd: 16, nHead: 2 });
    expect(other.events.at(-1)).toMatchObject({ kind: 'status', status: 'paused', sftDone: true });
    const again = await other.send({ type: 'exportCheckpoint' });
    expect(again.weights).toEqual(ckpt.weights);

    const reversal = cpuHarness();
    await configure(reversal, { ...TINY_RUN, task: 'reversal', difficulty: {} });
    await expect(reversal.send({ type: 'importCheckpoint', checkpoint: ckpt })).rejects.toThrow(/does not match task "reversal"/);
    expect(reversal.host.config.task).toBe('reversal');
  });
});

describe('RunHost ONNX export', () => {
  it('exports the policy as ONNX that onnxruntime-web runs with the engine\'s logits', async () => {
    const h = cpuHarness();
    await configure(h, TINY_RUN);
    await h.send({ type: 'warmStart' });
    const result = await h.send({ type: 'exportOnnx' });
    expect(result.onnx.byteLength).toBeGreaterThan(1000);
    expect(result.sampleLength).toBeGreaterThan(1);
    expect(result.maxAbsDiff).toBeLessThan(1e-4);
  });
});

describe('RunHost step values', () => {
  it('judges each step of a multi-step rollout within the completion budget (a context that only fits training) and refuses tasks without steps', async () => {
    const h = cpuHarness();
    await configure(h, { ...TINY_RUN, task: 'multi-step', difficulty: { steps: 2, max: 3 }, model: { ...TINY_RUN.model, contextLength: 26 }, grpo: { ...TINY_RUN.grpo, max_completion_length: 18 } });
    await h.send({ type: 'warmStart' });
    const steps = await h.send({ type: 'stepValues', rollout: { prompt: '1+2*3=', completion: '1+2=3;3*3=9;#9', gold: '9' } });
    expect(steps.map((s) => s.step)).toEqual(['1+2=3', '3*3=9']);
    for (const s of steps) {
      expect(s.q * 8).toBeCloseTo(Math.round(s.q * 8), 9);
      expect(s.absQ).toBe(s.q > 0);
    }
    const add = cpuHarness();
    await configure(add, TINY_RUN);
    await add.send({ type: 'warmStart' });
    await expect(add.send({ type: 'stepValues', rollout: { prompt: '1+2=', completion: '3', gold: '3' } })).rejects.toThrow(/need a task with explicit steps/);
  });
});

describe('RunHost errors', () => {
  it('reports an engine error as an event, refuses to go on, and recovers on reset', async () => {
    const h = cpuHarness();
    // Prompts like "7+5=" plus BOS and 3 new tokens do not fit a 4-token context: the model throws mid-step.
    await configure(h, { ...TINY_RUN, model: { ...TINY_RUN.model, contextLength: 4 } });
    await h.send({ type: 'step' });
    const err = h.events.find((e) => e.kind === 'error');
    expect(err).toMatchObject({ kind: 'error', deviceLost: false, message: expect.any(String) });
    expect(h.events.at(-1)).toMatchObject({ kind: 'status', status: 'error' });
    await expect(h.send({ type: 'step' })).rejects.toThrow(/reset to continue/);
    await configure(h, TINY_RUN);
    await h.send({ type: 'step' });
    expect(h.events.at(-1)).toMatchObject({ kind: 'status', status: 'paused', iteration: 1 });
  });
});
