/**
 * Semi-online DPO in the app: the algorithm picker switches to DPO (its settings replace GRPO's, the choice goes into
 * the share link), a short run trains, and the curves show DPO's own metrics while GRPO-only charts stay hidden.
 * Then a GRPO run of the same task and seed trains, and Compare runs overlays the two.
 */
import { expect, test, type Page } from '@playwright/test';
import { attachScreenshot, configFromUrl, openRun, runStatus, TINY_RUN, warmStartAndTrain, watch } from './helpers';

const savedRuns = (page: Page) => page.getByRole('list', { name: 'Saved runs' }).getByRole('listitem');

test('picking DPO trains a few iterations and shows its curves', async ({ page, baseURL }, testInfo) => {
  test.setTimeout(180_000);
  const problems = watch(page, new URL(baseURL!).origin);
  await openRun(page, { ...TINY_RUN, iterations: 3 });
  await expect(page.getByLabel('loss_type', { exact: true })).toBeVisible();

  await page.getByLabel('algorithm', { exact: true }).selectOption('dpo');
  await expect(page.getByLabel('beta (DPO)', { exact: true })).toBeVisible();
  await expect(page.getByLabel('loss_type', { exact: true })).toHaveCount(0);
  await page.getByLabel('sync interval s', { exact: true }).fill('2');
  await expect.poll(() => configFromUrl(page.url())).toMatchObject({ algorithm: 'dpo', dpo: { sync_interval: 2 } });

  await warmStartAndTrain(page);
  await expect(page.getByText('DPO iteration 3/3')).toBeVisible();
  const pairs = page.locator('figure.chart[data-metric="dpo/pairs dpo/skipped_prompts"]');
  await expect(pairs.locator('path.line')).toHaveCount(2);
  await expect(page.locator('figure.chart[data-metric="dpo/generator_lag"] path.line')).toHaveCount(1);
  await expect(page.locator('figure.chart[data-metric="reward"] path.line')).toHaveCount(1);
  // GRPO's clipping and zero-variance curves are not logged by DPO, so their charts are not shown.
  await expect(page.locator('figure.chart[data-metric~="clip_ratio/low_mean"]')).toHaveCount(0);
  await expect(page.locator('figure.chart[data-metric="frac_reward_zero_std"]')).toHaveCount(0);
  await attachScreenshot(page, testInfo, 'dpo-curves');

  // The finished DPO run is kept; a GRPO run of the same settings joins it, and Compare overlays both.
  await expect(savedRuns(page)).toHaveCount(1);
  await page.getByLabel('algorithm', { exact: true }).selectOption('grpo');
  await page.getByRole('button', { name: 'Start new run with these' }).click();
  await expect(runStatus(page)).toHaveText('ready', { timeout: 30_000 });
  await warmStartAndTrain(page);
  await expect(page.getByText('GRPO iteration 3/3')).toBeVisible();
  await expect(savedRuns(page)).toHaveCount(2);
  for (let i = 0; i < 2; i++) await savedRuns(page).nth(i).getByRole('checkbox').check();
  const compare = page.locator('.compare-charts');
  const reward = compare.locator('figure.chart', { hasText: 'reward' }).first();
  await expect(reward.locator('path.line')).toHaveCount(2);
  await expect(reward.locator('.legend li')).toHaveText([/algorithm="(dpo|grpo)"/, /algorithm="(dpo|grpo)"/]);
  await expect(compare.locator('figure.chart', { hasText: 'DPO reward margin' })).toHaveCount(0);
  await attachScreenshot(page, testInfo, 'dpo-vs-grpo-compare');
  expect(problems).toEqual([]);
});
