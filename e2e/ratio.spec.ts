/**
 * The rollout inspector's policy-ratio and KL colourings on a real tiny run (SwiftShader WebGPU, a KL reference
 * kept): the picked rollout is scored under the trained policy in the worker, every token gets a colour, and the
 * tooltip gives its ratio against the applied clip range.
 */
import { expect, test } from '@playwright/test';
import { openRun, TINY_RUN, warmStartAndTrain, watch } from './helpers';

/** A length reward gives every group a gradient, so the update moves the ratios away from 1. */
const RATIO_RUN = {
  ...TINY_RUN,
  grpo: { ...TINY_RUN.grpo, beta: 0.04, epsilon: 0.2, epsilon_high: 0.28, learning_rate: 0.01 },
  rewards: { weights: { correct: 1, length: 1 } },
};


test('ratio and KL modes colour every token of a rollout, and the tooltip shows its ratio and the clip range', async ({ page, baseURL }, testInfo) => {
  test.setTimeout(120_000);
  const problems = watch(page, new URL(baseURL!).origin);
  await openRun(page, RATIO_RUN);
  await warmStartAndTrain(page);

  await page.locator('.rollout-card').nth(1).click();
  await page.getByRole('radio', { name: 'ratio', exact: true }).check();
  // The last iteration's rollouts, scored under the policy its update produced.
  await expect(page.getByRole('status', { name: 'Policy ratio' })).toContainText('policy after iteration 2 over the one that sampled this rollout in iteration 2', {
    timeout: 30_000,
  });
  const tokens = page.getByLabel('Completion tokens').locator('.token');
  const n = await tokens.count();
  expect(n).toBeGreaterThan(0);
  // A token without a value is transparent, rgba(0, 0, 0, 0).
  for (let i = 0; i < n; i++) await expect(tokens.nth(i)).toHaveCSS('background-color', /^rgb\(/);
  await tokens.first().focus();
  await expect(page.getByRole('status', { name: 'Token details' })).toContainText(/ratio \d+\.\d{4} · (inside|outside) clip range \[0\.800, 1\.280\]/);
  await testInfo.attach('ratio-mode', { body: await page.locator('section[aria-labelledby="inspector-title"]').screenshot(), contentType: 'image/png' });

  await page.getByRole('radio', { name: 'KL', exact: true }).check();
  for (let i = 0; i < n; i++) await expect(tokens.nth(i)).toHaveCSS('background-color', /^rgb\(/);
  await expect(page.getByRole('status', { name: 'Token details' })).toContainText(/KL \(k3\) \d+\.\d{5}/);
  expect(problems).toEqual([]);
});
