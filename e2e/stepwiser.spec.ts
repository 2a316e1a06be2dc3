/**
 * The StepWiser trainer in the app, on a tiny multi-step run: pick it in the algorithm picker, warm the policy up,
 * train two iterations, and see the step judge's held-out accuracy curve and the label-balance plot.
 */
import { expect, test } from '@playwright/test';
import { openRun, pinBackend, runStatus as status, TINY_RUN, watch } from './helpers';

/**
 * One operation on operands 1–2 ("2*1=" → "2*1=2;#2", at most 10 characters), 6 solutions labelled from 2
 * continuations per step, a judge warmed up for 2 steps: small enough for SwiftShader. Balancing is off so a
 * policy after 5 SFT steps that writes few wrong steps still leaves steps to train on.
 */
const STEPWISER_RUN = {
  ...TINY_RUN,
  task: 'multi-step',
  difficulty: { steps: 1, max: 2 },
  model: { ...TINY_RUN.model, contextLength: 32 },
  grpo: { ...TINY_RUN.grpo, max_completion_length: 11 },
  stepwiser: {
    solutions: 6,
    held_out: 2,
    continuations: 2,
    balance: false,
    judge_sft_steps: 2,
    judge_generations: 2,
    judge_max_tokens: 4,
    judge_context: 32,
    reset_attempts: 2,
    reset_problems: 1,
  },
  eval: { n: 4, every: 2 },
};

test('pick StepWiser, train two iterations, see the judge accuracy curve and the label balance plot', async ({ page, baseURL }) => {
  test.setTimeout(240_000);
  const problems = watch(page, new URL(baseURL!).origin);
  // The cpu oracle: this run is many tiny generate calls, which it runs fastest.
  await pinBackend(page, 'cpu');
  await openRun(page, STEPWISER_RUN);
  await page.getByLabel('algorithm', { exact: true }).selectOption('stepwiser');
  await expect(page.getByLabel('label rule')).toHaveValue('abs_q');
  await page.getByRole('button', { name: 'SFT warm-start' }).click();
  await expect(status(page)).toHaveText('paused', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(status(page)).toHaveText('done', { timeout: 180_000 });

  const metrics = await page.evaluate(() => Object.keys(window.__pg.run.getState().metrics));
  expect(metrics).toContain('stepwiser/judge_accuracy');
  await expect(page.getByRole('img', { name: /step judge accuracy \(held out\)/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^StepWiser label balance per rule/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Accuracy with vs without chunk reset/ })).toBeVisible();
  expect(problems).toEqual([]);
});
