/**
 * The think-budget preset in the browser: picked from the preset list, shrunk to a few seconds of training, it
 * draws the OAA_t curve after the warm-start's baseline evaluation, logs the think metrics as curves, and the
 * rollout inspector shows the scratchpad as <think>…</think> with its think tokens.
 */
import { expect, test } from '@playwright/test';
import { attachScreenshot, configFromUrl, openRun, runStatus as status, TINY_RUN, watch } from './helpers';

test('the think-budget preset trains a few iterations and draws its OAA_t plot', async ({ page, baseURL }, testInfo) => {
  test.setTimeout(120_000);
  const problems = watch(page, new URL(baseURL!).origin);
  await openRun(page, TINY_RUN);
  await page.getByRole('group', { name: 'Presets' }).getByRole('button', { name: 'Think budget: overthinking on easy prompts' }).click();
  await expect.poll(() => configFromUrl(page.url())).toMatchObject({ task: 'think-budget', grpo: { loss_type: 'grpo' } });
  // The preset's own sizes take minutes here; a tiny version shows the same panels.
  for (const [label, value] of [['SFT steps', '5'], ['iterations', '1'], ['eval prompts', '4'], ['eval every', '1'], ['width', '16']]) {
    await page.getByLabel(label, { exact: true }).fill(value);
  }
  await expect(page.getByLabel('weight: think_easy')).toBeVisible();
  await page.getByRole('button', { name: 'SFT warm-start' }).click();
  await expect(status(page)).toHaveText('paused', { timeout: 60_000 });
  // The baseline evaluation already carries the think-budget plots.
  await expect(page.getByRole('img', { name: /^OAA_t: correct within t think tokens/ })).toBeVisible();
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(status(page)).toHaveText('done', { timeout: 60_000 });
  await expect(page.getByRole('img', { name: /^accuracy by think tokens/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^think tokens/ })).toBeVisible();
  const metrics = await page.evaluate(() => Object.keys(window.__pg.run.getState().metrics));
  expect(metrics).toEqual(expect.arrayContaining(['think/auc_oaa', 'think/acc_hard', 'think/f1_otb', 'think/tokens_easy', 'think/tokens_hard']));
  await expect(page.getByLabel('Think view')).toContainText('think tokens');
  await attachScreenshot(page, testInfo, 'think-budget');
  expect(problems).toEqual([]);
});
