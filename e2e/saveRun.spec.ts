/** A paused run can be kept by hand: it is listed with where it stopped, survives a reload, and its policy loads back. */
import { expect, test, type Page } from '@playwright/test';
import { openRun, runStatus as status, TINY_RUN, watch } from './helpers';

const savedRuns = (page: Page) => page.getByRole('list', { name: 'Saved runs' }).getByRole('listitem');

test('"Save current run" keeps a paused run across a reload', async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  const problems = watch(page, new URL(baseURL!).origin);
  await openRun(page, { ...TINY_RUN, seed: 17 });
  const save = page.getByRole('button', { name: 'Save current run' });
  await expect(save).toBeDisabled();
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(status(page)).toHaveText('paused', { timeout: 60_000 });
  await save.click();
  await expect(savedRuns(page)).toHaveCount(1);
  await expect(savedRuns(page).first()).toContainText(/addition seed 17 .* \(paused at 1\/2\)/);
  await expect(savedRuns(page).first()).toContainText('1 it.');

  await page.reload();
  await expect(status(page)).toHaveText('ready', { timeout: 30_000 });
  await expect(savedRuns(page)).toHaveCount(1);
  await savedRuns(page).first().getByRole('button', { name: /^Load the policy of / }).click();
  await expect(status(page)).toHaveText('paused', { timeout: 30_000 });
  expect(problems).toEqual([]);
});
