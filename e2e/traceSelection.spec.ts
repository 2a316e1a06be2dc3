/**
 * The trace-selection preset in the browser: picking it switches the algorithm to distillation with its own
 * settings; shortened (a 300-step teacher, a budget of 64 over 2 iterations) it trains on the CPU path and the
 * student's curves and plots fill in.
 */
import { expect, test } from '@playwright/test';
import { attachScreenshot, pinBackend, runStatus as status, watch } from './helpers';

test('the trace-selection preset distils a student whose accuracy is plotted against the examples it got', async ({ page, baseURL }, testInfo) => {
  test.setTimeout(240_000);
  const problems = watch(page, new URL(baseURL!).origin);
  await pinBackend(page, 'wasm');
  await page.goto('/');
  await page.getByRole('group', { name: 'Presets' }).getByRole('button', { name: 'Which teacher traces to distil (NaturalThoughts)' }).click();
  await expect(page.getByRole('complementary', { name: 'What to watch' })).toContainText('student');
  await expect(page.getByLabel('algorithm', { exact: true })).toHaveValue('distill');
  await expect(page.getByLabel('trace selector')).toHaveValue('random');

  // Shorter than the preset: a weaker teacher, so every trace with an answer is kept.
  await page.getByLabel('SFT steps').fill('300');
  await page.getByLabel('iterations').fill('2');
  await page.getByLabel('budget', { exact: true }).fill('64');
  await page.getByLabel('second model steps').fill('50');
  await page.getByLabel('correct traces only').uncheck();
  await page.getByLabel('trace selector').selectOption('long');

  await expect(status(page)).toHaveText('ready', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(status(page)).toHaveText('done', { timeout: 200_000 });

  // The student's held-out accuracy at the final evaluation (examples 64), its tokens, and the two plots.
  await expect(page.locator('figure.chart[data-metric~="student/accuracy"] circle.dot').first()).toBeVisible();
  await expect(page.locator('figure.chart[data-metric="student/examples"] path.line')).toHaveAttribute('d', /M.+L/);
  await expect(page.getByRole('img', { name: /^student accuracy vs examples .*: long$/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^student tokens vs accuracy per mode .*: think$/ })).toBeVisible();
  const examples = await page.evaluate(() => window.__pg.run.getState().metrics['student/examples'].map((p) => p.value));
  expect(examples).toEqual([32, 64]);
  await attachScreenshot(page, testInfo, 'trace-selection-student');
  expect(problems).toEqual([]);
});
