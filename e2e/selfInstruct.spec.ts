/**
 * The self-instruct preset in the app: picking it shows its settings, and a short run (fewer warm-start steps and
 * iterations than the preset, the scripted proposer so that proposals parse after so short a warm-start, on the CPU
 * path) draws the kept-fraction curve and the difficulty histogram.
 */
import { expect, test } from '@playwright/test';
import { attachScreenshot, pinBackend, runStatus, warmStartAndTrain, watch } from './helpers';

test('the self-instruct preset trains a few iterations and draws the kept fraction and the difficulty histogram', async ({ page, baseURL }, testInfo) => {
  const problems = watch(page, new URL(baseURL!).origin);
  await pinBackend(page, 'wasm');
  await page.goto('/');
  await expect(runStatus(page)).toHaveText('ready', { timeout: 30_000 });
  await page.getByRole('group', { name: 'Presets' }).getByRole('button', { name: 'GRPO on seed prompts vs on self-instructed prompts' }).click();
  await expect(page.getByRole('complementary', { name: 'What to watch' })).toContainText('answer-matching');
  await expect(page.getByLabel('proposer', { exact: true })).toHaveValue('policy');
  await expect(page.getByLabel('filter', { exact: true })).toHaveValue('answer-matching');
  await page.getByLabel('proposer', { exact: true }).selectOption('scripted');
  await page.getByLabel('SFT steps').fill('40');
  await page.getByLabel('iterations', { exact: true }).fill('2');
  await expect(runStatus(page)).toHaveText('ready', { timeout: 30_000 });
  await warmStartAndTrain(page);
  const kept = page.locator('figure.chart[data-metric~="self_instruct/kept/answer_matching"]');
  await expect(kept.locator('path.line.series-0')).toHaveAttribute('d', /M.+L/);
  await expect(kept.locator('path.line.series-1')).toHaveAttribute('d', /M.+L/);
  await expect(page.getByRole('img', { name: /^difficulty: policy pass rate of seed vs synthetic prompts .*: seed, synthetic \(parsed\), synthetic \(kept: answer-matching\)$/ })).toBeVisible();
  await testInfo.attach('self-instruct-plots', { body: await page.locator('.chart-grid').last().screenshot(), contentType: 'image/png' });
  await attachScreenshot(page, testInfo, 'self-instruct-trained');
  expect(problems).toEqual([]);
});
